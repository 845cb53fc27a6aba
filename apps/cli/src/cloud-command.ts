import { BackendClient } from '@codex-ts/backend-client';
import { HttpCloudBackend } from '@codex-ts/cloud-tasks';
import { runCloudCli } from '@codex-ts/cloud-tasks/cli';
import { baseUrlProblem, loadCodexConfig } from '@codex-ts/config';
import { AuthManager, resolveCodexHome } from '@codex-ts/login';
import type { CliIo } from './io.js';
import { cliVersion } from './version.js';

/** Overrides the backend of `codex-ts cloud` (upstream's variable); else `chatgpt_base_url` from config.toml. */
export const CLOUD_BASE_URL_ENV = 'CODEX_CLOUD_TASKS_BASE_URL';

/** The backend base URL: `CODEX_CLOUD_TASKS_BASE_URL`, else config.toml's `chatgpt_base_url`. */
async function cloudBaseUrl(codexHome: string, env: NodeJS.ProcessEnv): Promise<string> {
  const override = env[CLOUD_BASE_URL_ENV]?.trim();
  if (override) {
    const problem = baseUrlProblem(override);
    if (problem) throw new Error(`${CLOUD_BASE_URL_ENV} must be ${problem}`);
    return override;
  }
  return (await loadCodexConfig(codexHome)).chatgpt_base_url;
}

/**
 * `codex-ts cloud …`: the cloud-tasks command line over the ChatGPT backend, authorized by login's default
 * provider for CODEX_HOME (a background-task `AgentAssertion` with `features.use_agent_identity`, else bearer).
 * The base URL is `chatgpt_base_url` from config.toml, read with `@codex-ts/config` (default
 * `https://chatgpt.com/backend-api`).
 */
export function runCloud(argv: readonly string[], io: CliIo): Promise<number> {
  return runCloudCli(argv, {
    backend: async () => {
      const codexHome = resolveCodexHome(io.env);
      const baseUrl = await cloudBaseUrl(codexHome, io.env);
      // The base the user chose is a destination login may authorize (it is the configured one, or the override).
      const manager = await AuthManager.create({ codexHome, env: io.env, trustedOrigins: [baseUrl] });
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
