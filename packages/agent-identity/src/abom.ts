/** The agent bill of materials sent with identity registration. */
export interface Abom {
  agent_version: string;
  agent_harness_id: string;
  running_location: string;
}

const RUST_OS_NAMES: Partial<Record<NodeJS.Platform, string>> = { darwin: 'macos', win32: 'windows' };

/** `codex-app` for the VS Code session source, else `codex-cli`; the location is `{sessionSource}-{os}`. */
export function buildAbom(o: { sessionSource: string; version: string; os?: string }): Abom {
  const os = o.os ?? RUST_OS_NAMES[process.platform] ?? process.platform;
  return {
    agent_version: o.version,
    agent_harness_id: o.sessionSource === 'vscode' ? 'codex-app' : 'codex-cli',
    running_location: `${o.sessionSource}-${os}`,
  };
}
