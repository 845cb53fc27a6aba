import {
  type DevBackend,
  type DevTokens,
  type IssueTokensOptions,
  startDevBackend,
} from '@codex-ts/dev-backend';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { AppServerOptions } from '../../src/index.js';
import {
  backendEnv,
  type Harness,
  harness,
  tempHome,
  uniqueEmail,
  writeChatgptAuth,
  writeConfig,
} from './fixture.js';

/** What a fresh CODEX_HOME on the dev backend holds. */
export interface HomeOptions {
  /** `[features] use_agent_identity` in config.toml (default false). */
  readonly flag?: boolean;
  /** More config.toml lines, written above `[features]`. */
  readonly extra?: string;
  /** Signed in with a new ChatGPT account (auth.json) unless false. */
  readonly signedIn?: boolean;
  /** That account's plan (the dev backend's default when absent). */
  readonly plan?: string;
}

/** An existing CODEX_HOME, served as it is (nothing written to it). */
export interface OnHome {
  readonly home: string;
}

export type ServerOptions = (HomeOptions | (OnHome & { readonly [K in keyof HomeOptions]?: never })) & {
  /** Send initialize/initialized before returning (default true). */
  readonly initialize?: boolean;
  /** Initialize with the experimentalApi capability. */
  readonly experimentalApi?: boolean;
  readonly serverOptions?: AppServerOptions;
};

export interface WorldServer extends Harness {
  readonly home: string;
}

/** This test file's dev backend and app-servers on it. */
export interface DevWorld {
  /** The file's dev backend; only inside hooks and tests (it starts in beforeAll). */
  readonly backend: DevBackend;
  /** A fresh CODEX_HOME on the backend: config.toml (`flag`, `extra`), signed in unless `signedIn: false`. */
  home(options?: HomeOptions): Promise<string>;
  /** Signs `home` in with a new ChatGPT account (a unique email unless given); its tokens. */
  signIn(home: string, account?: IssueTokensOptions): Promise<DevTokens>;
  /**
   * An in-process app-server on `home` (default: a fresh one from the home options) with every URL on the
   * backend, its client initialized unless `initialize: false`. Closed when the test finishes.
   */
  server(options?: ServerOptions): Promise<WorldServer>;
}

/** One dev backend per test file (started before all, requests and faults cleared before each test). */
export function useDevWorld(): DevWorld {
  let live: DevBackend | undefined;
  beforeAll(async () => {
    live = await startDevBackend();
  });
  afterAll(async () => {
    await live?.close();
  });
  beforeEach(() => {
    live?.clearFaults();
    live?.clearRequests();
  });
  const world: DevWorld = {
    get backend(): DevBackend {
      if (!live)
        throw new Error('useDevWorld: the dev backend starts in beforeAll; read it in a hook or a test');
      return live;
    },
    async signIn(home, account = {}) {
      const tokens = await world.backend.issueTokens({ email: uniqueEmail(), ...account });
      writeChatgptAuth(home, tokens);
      return tokens;
    },
    async home({ flag = false, extra = '', signedIn = true, plan } = {}) {
      const home = tempHome();
      writeConfig(home, world.backend, flag, extra);
      if (signedIn) await world.signIn(home, plan === undefined ? {} : { plan });
      return home;
    },
    async server(options = {}) {
      const home = 'home' in options && options.home !== undefined ? options.home : await world.home(options);
      const h = await harness(home, backendEnv(world.backend, home), options.serverOptions);
      if (options.initialize !== false) {
        await h.client.initialize(options.experimentalApi ? { experimentalApi: true } : undefined);
      }
      return { ...h, home };
    },
  };
  return world;
}
