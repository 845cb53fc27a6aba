import { BackendClient } from '@codex-ts/backend-client';
import { HttpCloudBackend } from '@codex-ts/cloud-tasks';
import { runCloudCli } from '@codex-ts/cloud-tasks/cli';
import { AuthManager, resolveCodexHome } from '@codex-ts/login';
import type { CliIo } from './io.js';
import { cliVersion } from './version.js';

/** Overrides the backend of `codex-ts cloud` (upstream's variable); else `chatgpt_base_url` from config.toml. */
export const CLOUD_BASE_URL_ENV = 'CODEX_CLOUD_TASKS_BASE_URL';

/**
 * `codex-ts cloud …`: the cloud-tasks command line over the ChatGPT backend, authorized by login's default
 * provider for CODEX_HOME (a background-task `AgentAssertion` with `features.use_agent_identity`, else bearer).
 * The base URL is `chatgpt_base_url` from config.toml (default `https://chatgpt.com/backend-api/`).
 */
export function runCloud(argv: readonly string[], io: CliIo): Promise<number> {
  return runCloudCli(argv, {
    backend: async () => {
      const manager = await AuthManager.create({ codexHome: resolveCodexHome(io.env), env: io.env });
      const baseUrl = io.env[CLOUD_BASE_URL_ENV]?.trim() || manager.config.chatgptBaseUrl;
      const client = new BackendClient({
        baseUrl,
        auth: manager.defaultProvider(),
        userAgent: `codex-ts/${cliVersion()}`,
      });
      return new HttpCloudBackend(client);
    },
    stdout: io.stdout,
    stderr: io.stderr,
    cwd: io.cwd,
    env: io.env,
    programName: 'codex-ts cloud',
  });
}
