import { BackendClient } from '@codex-ts/backend-client';
import { AuthManager } from '@codex-ts/login';
import { accountMethods } from './account-methods.js';
import { accountUpdated, loginCompleted } from './account-wire.js';
import { AnalyticsTracker } from './analytics-tracker.js';
import type { AppContext } from './app-context.js';
import { appMethods } from './app-methods.js';
import { AppsService, connectorDirectory } from './apps-service.js';
import type { ClientRegistry } from './client-registry.js';
import { loadAppServerConfig } from './config.js';
import type { ClientConnection } from './connection.js';
import { installationId } from './installation-id.js';
import type { AppLogger } from './logger.js';
import { LoginFlows } from './login-flows.js';
import type { MethodSpec } from './method.js';
import { METHOD_NAMES } from './method-names.js';
import { modelMethods } from './model-methods.js';
import { ModelsService } from './models-service.js';
import { rateLimitMethods } from './rate-limit-methods.js';
import { RemoteControl } from './remote-control.js';
import { remoteControlMethods } from './remote-control-methods.js';
import { requirementsMethods } from './requirements-methods.js';
import { threadMethods } from './thread-methods.js';
import { ThreadManager } from './threads/thread-manager.js';
import { ThreadStore } from './threads/thread-store.js';
import { turnMethods } from './turns/turn-methods.js';

export interface ServicesOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly codexHome: string;
  readonly logger: AppLogger;
  readonly clients: ClientRegistry;
  readonly loginCallbackPort: number;
  readonly devicePollMs: number | undefined;
  readonly remoteControlBackoffMs: { readonly base: number; readonly cap: number } | undefined;
  /** Remote clients (remote control) join the server through these, like any transport's clients. */
  readonly onConnection: (connection: ClientConnection) => void;
  readonly onMessage: (connection: ClientConnection, text: string) => Promise<void>;
}

export interface Services {
  readonly context: AppContext;
  readonly methods: ReadonlyMap<string, MethodSpec<unknown, AppContext>>;
}

/**
 * Everything behind the methods: config.toml, login's AuthManager, threads, sign-in flows. Loaded after the
 * transport is up (this module pulls in login and its dependencies), so `initialize` is answered at once.
 */
export async function createServices(o: ServicesOptions): Promise<Services> {
  const { env, logger, clients } = o;
  const config = await loadAppServerConfig(env, o.codexHome);
  const auth = await AuthManager.create({
    codexHome: config.codexHome,
    env,
    logger,
    sessionSource: 'vscode',
    enableCodexApiKeyEnv: false,
    // A configured `openai_base_url` (the model provider's API) may receive the API key, loopback included.
    ...(config.openaiBaseUrl ? { trustedOrigins: [new URL(config.openaiBaseUrl).origin] } : {}),
  });
  const threads = new ThreadManager(new ThreadStore(config.codexHome, logger), auth, logger);
  const logins = new LoginFlows({
    issuer: config.loginIssuer,
    auth,
    logger,
    callbackPort: o.loginCallbackPort,
    ...(o.devicePollMs !== undefined ? { devicePollMs: o.devicePollMs } : {}),
    onCompleted: (loginId, error) => {
      clients.broadcast('account/login/completed', loginCompleted(loginId, error ?? null));
      if (error === undefined) clients.broadcast('account/updated', accountUpdated(auth.authCached()));
    },
  });
  logger.info(
    { codexHome: config.codexHome, agentIdentity: auth.config.useAgentIdentity },
    'app-server configured',
  );
  const methods = new Map([
    ...accountMethods,
    ...threadMethods,
    ...turnMethods,
    ...modelMethods,
    ...appMethods,
    ...rateLimitMethods,
    ...requirementsMethods,
    ...remoteControlMethods,
  ]);
  const missing = METHOD_NAMES.filter((m) => !methods.has(m));
  if (missing.length > 0 || methods.size !== METHOD_NAMES.length) {
    throw new Error(`method table and METHOD_NAMES disagree: ${missing.join(', ')}`);
  }
  const id = await installationId(config.codexHome);
  const remoteControl = new RemoteControl({
    chatgptBaseUrl: config.chatgptBaseUrl,
    auth: auth.defaultProvider(),
    installationId: id,
    logger,
    ...(o.remoteControlBackoffMs ? { backoffMs: o.remoteControlBackoffMs } : {}),
    onStatus: (status) => clients.broadcast('remoteControl/status/changed', status),
    onConnection: o.onConnection,
    onMessage: o.onMessage,
  });
  if (config.remoteControl) remoteControl.enable();
  const backend = new BackendClient({ baseUrl: config.chatgptBaseUrl, auth: auth.defaultProvider() });
  const apps = new AppsService({
    chatgptBaseUrl: config.chatgptBaseUrl,
    codexHome: config.codexHome,
    auth,
    env,
    logger,
    onUpdated: (data) => clients.broadcast('app/list/updated', { data }),
    directory: connectorDirectory(backend, auth),
  });
  const analytics = new AnalyticsTracker({
    chatgptBaseUrl: config.chatgptBaseUrl,
    auth,
    enabled: config.analyticsEnabled,
    logger,
  });
  return {
    context: {
      config,
      env,
      auth,
      logger,
      clients,
      threads,
      logins,
      installationId: id,
      remoteControl,
      apps,
      analytics,
      models: new ModelsService(config, auth, env),
      backend,
    },
    methods,
  };
}
