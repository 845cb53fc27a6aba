import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** `$CODEX_HOME` when set and non-empty (resolved to an absolute path), else `~/.codex`. */
export function resolveCodexHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.CODEX_HOME?.trim();
  if (fromEnv) return isAbsolute(fromEnv) ? fromEnv : resolve(fromEnv);
  return join(homedir(), '.codex');
}

export function authJsonPath(codexHome: string): string {
  return join(codexHome, 'auth.json');
}

export function configTomlPath(codexHome: string): string {
  return join(codexHome, 'config.toml');
}
