import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How an upstream config.toml points every URL at the dev backend. */
export interface DevBackendConfigOptions {
  /** `…/backend-api` of the dev backend. */
  chatgptBaseUrl: string;
  /** `features.use_agent_identity`. */
  agentIdentity?: boolean;
  /**
   * Route model turns through a custom provider `devb` at `{chatgptBaseUrl}/codex` (HTTP only), as 0.122 needs.
   * Without it, upstream uses its built-in provider and the workspace routing the dev backend announces.
   */
  customProvider?: boolean;
  /** With `customProvider`: its `request_max_retries` and `stream_max_retries` (upstream's 4 and 5 otherwise). */
  retries?: { request: number; stream: number };
  /** Model slug; defaults to the dev backend's echo model `gpt-5-codex`. */
  model?: string;
  /**
   * `features.plugins` (default false): on, upstream syncs its curated plugin marketplace from GitHub, which the
   * proxy refuses.
   */
  plugins?: boolean;
  /** Leave upstream's default metrics exporter on (default false: `otel.metrics_exporter = "none"`). */
  metrics?: boolean;
}

/** A TOML basic string (JSON's escapes are a subset of TOML's for the strings used here). */
function tomlString(value: string): string {
  return JSON.stringify(value);
}

/** The config.toml of a throw-away CODEX_HOME that keeps upstream on the dev backend. */
export function devBackendConfigToml(options: DevBackendConfigOptions): string {
  const base = options.chatgptBaseUrl.replace(/\/$/, '');
  const lines = [
    `model = ${tomlString(options.model ?? 'gpt-5-codex')}`,
    `chatgpt_base_url = ${tomlString(base)}`,
    // The built-in provider's base: the dev backend's Codex endpoints (same origin, so workspace routing applies).
    `openai_base_url = ${tomlString(`${base}/codex`)}`,
    'check_for_update_on_startup = false',
  ];
  if (options.customProvider) lines.push('model_provider = "devb"');
  lines.push(
    '',
    '[features]',
    `use_agent_identity = ${options.agentIdentity === true}`,
    `plugins = ${options.plugins === true}`,
  );
  if (options.customProvider) {
    lines.push(
      '',
      '[model_providers.devb]',
      'name = "dev backend"',
      `base_url = ${tomlString(`${base}/codex`)}`,
      'wire_api = "responses"',
      'requires_openai_auth = true',
      'supports_websockets = false',
    );
    if (options.retries) {
      lines.push(
        `request_max_retries = ${options.retries.request}`,
        `stream_max_retries = ${options.retries.stream}`,
      );
    }
  }
  // Upstream's default metrics exporter posts to its own telemetry host; none here.
  if (options.metrics !== true) lines.push('', '[otel]', 'metrics_exporter = "none"');
  return `${lines.join('\n')}\n`;
}

/** A CODEX_HOME in the temp directory, removed by `remove()`. */
export interface TempCodexHome {
  readonly path: string;
  readonly authFile: string;
  remove(): Promise<void>;
}

export async function createCodexHome(files: { config: string; auth?: unknown }): Promise<TempCodexHome> {
  const path = await mkdtemp(join(tmpdir(), 'codex-ts-interop-'));
  const authFile = join(path, 'auth.json');
  await writeFile(join(path, 'config.toml'), files.config, { mode: 0o600 });
  if (files.auth !== undefined) {
    await writeFile(authFile, `${JSON.stringify(files.auth, null, 2)}\n`, { mode: 0o600 });
  }
  return { path, authFile, remove: () => rm(path, { recursive: true, force: true }) };
}
