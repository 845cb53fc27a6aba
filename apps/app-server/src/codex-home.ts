import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * `$CODEX_HOME` when set and non-empty (made absolute), else `~/.codex` — the same rule as login's
 * `resolveCodexHome`, here so that answering `initialize` does not wait for login to load.
 */
export function codexHomeFrom(env: NodeJS.ProcessEnv): string {
  const fromEnv = env.CODEX_HOME?.trim();
  if (fromEnv) return isAbsolute(fromEnv) ? fromEnv : resolve(fromEnv);
  return join(homedir(), '.codex');
}
