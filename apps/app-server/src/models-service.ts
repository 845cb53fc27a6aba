import type { AuthManager } from '@codex-ts/login';
import {
  BUNDLED_MODELS,
  createModelsManager,
  type ModelInfo,
  type ModelsEtagObserver,
  type ModelsManager,
  resolveModelProvider,
} from '@codex-ts/model-provider';
import type { AppServerConfig } from './config.js';
import { APP_SERVER_VERSION } from './version.js';

/**
 * The models behind `model/list`: model-provider's ModelsManager (disk cache, ETag, one request in flight) over the
 * default provider (background task), for ChatGPT auth; the bundled list otherwise (no ChatGPT call without a
 * ChatGPT account). Turns report `x-models-etag` here.
 */
export class ModelsService implements ModelsEtagObserver {
  readonly #config: AppServerConfig;
  readonly #auth: AuthManager;
  readonly #env: NodeJS.ProcessEnv;
  #manager: ModelsManager | undefined;

  constructor(config: AppServerConfig, auth: AuthManager, env: NodeJS.ProcessEnv) {
    this.#config = config;
    this.#auth = auth;
    this.#env = env;
  }

  #chatgptManager(): ModelsManager | undefined {
    if (!this.#auth.authCached()?.isChatgpt()) return undefined;
    if (!this.#manager) {
      const { id, provider } = resolveModelProvider(this.#config.toml, {
        authMode: 'chatgpt',
        env: this.#env,
      });
      this.#manager = createModelsManager({
        provider,
        providerId: id,
        auth: this.#auth.defaultProvider(),
        cacheDir: this.#config.codexHome,
        clientVersion: APP_SERVER_VERSION,
      });
    }
    return this.#manager;
  }

  async list(): Promise<readonly ModelInfo[]> {
    const manager = this.#chatgptManager();
    return manager ? (await manager.list()).models : BUNDLED_MODELS;
  }

  async refreshIfNewEtag(etag: string): Promise<unknown> {
    return this.#chatgptManager()?.refreshIfNewEtag(etag);
  }
}
