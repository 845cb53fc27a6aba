import type { BackendClient } from '@codex-ts/backend-client';
import type { AuthManager } from '@codex-ts/login';
import type { AnalyticsTracker } from './analytics-tracker.js';
import type { AppsService } from './apps-service.js';
import type { ClientRegistry } from './client-registry.js';
import type { AppServerConfig } from './config.js';
import type { AppLogger } from './logger.js';
import type { LoginFlows } from './login-flows.js';
import type { ModelsService } from './models-service.js';
import type { RemoteControl } from './remote-control.js';
import type { ThreadManager } from './threads/thread-manager.js';

/** What every method handler can reach. The app-server is the one place where the packages meet. */
export interface AppContext {
  readonly config: AppServerConfig;
  /** The environment the server was started with (URL overrides, provider headers). */
  readonly env: NodeJS.ProcessEnv;
  readonly auth: AuthManager;
  readonly logger: AppLogger;
  readonly clients: ClientRegistry;
  readonly threads: ThreadManager;
  readonly logins: LoginFlows;
  /** `$CODEX_HOME/installation_id`. */
  readonly installationId: string;
  readonly remoteControl: RemoteControl;
  readonly apps: AppsService;
  readonly models: ModelsService;
  /** backend-client over the default provider (background task): rate limits, requirements, connectors. */
  readonly backend: BackendClient;
  readonly analytics: AnalyticsTracker;
}
