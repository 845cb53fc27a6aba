export { AppServer, type AppServerOptions, DEFAULT_MAX_MESSAGE_BYTES } from './app-server.js';
export { main as runAppServerCli, parseCliArgs, USAGE, UsageError } from './cli-main.js';
export { type AppServerConfig, loadAppServerConfig } from './config.js';
export {
  INTERNAL_ERROR,
  INVALID_REQUEST,
  OVERLOADED_MESSAGE,
  RpcError,
  SERVER_OVERLOADED,
} from './jsonrpc.js';
export { type AppLogger, createLogger, type LogFormat } from './logger.js';
export { METHOD_NAMES } from './method-names.js';
export { ForeignRolloutError } from './threads/foreign-rollout.js';
export { RolloutCorruptError, RolloutWriteError } from './threads/rollout.js';
export { RolloutLockError } from './threads/writer-lock.js';
export { APP_SERVER_VERSION } from './version.js';
export type { WsListener } from './ws-transport.js';
