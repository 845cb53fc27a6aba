export { type AppInfo, AppsList, type AppsListOptions, accessibleApps, mergeApps } from './apps-list.js';
export { type AppsTool, appsTool } from './apps-tool.js';
export type { Connector, ConnectorDirectory, FileUploader, UploadedFile } from './collaborators.js';
export {
  type CallToolOptions,
  CODEX_CONNECTORS_TOKEN_ENV,
  CodexAppsConnection,
  type CodexAppsConnectionOptions,
  DEFAULT_STARTUP_TIMEOUT_MS,
  DEFAULT_TOOL_TIMEOUT_MS,
} from './connection.js';
export { AppsMcpError, type AppsMcpErrorCode, isAppsMcpError } from './errors.js';
export { type FileArgumentContext, uploadFileArguments } from './file-arguments.js';
export { appInstallUrl } from './install-url.js';
export { CODEX_APPS_SERVER_NAME, qualifyToolNames, sanitizeToolName } from './tool-names.js';
export {
  APPS_TOOLS_CACHE_DIR,
  APPS_TOOLS_CACHE_SCHEMA_VERSION,
  type AppsToolsCacheKey,
  appsToolsCachePath,
  type CachedAppsTool,
  readAppsToolsCache,
  writeAppsToolsCache,
} from './tools-cache.js';
export { codexAppsMcpUrl } from './urls.js';
