import { runAppServer } from './app-server-command.js';
import { runCloud } from './cloud-command.js';
import type { CliIo } from './io.js';
import { runLogin } from './login-command.js';

/** One `codex-ts` subcommand. Add a row here to add a command (e.g. `app-server`). */
export interface Subcommand {
  readonly name: string;
  readonly summary: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

export const SUBCOMMANDS: readonly Subcommand[] = [
  { name: 'login', summary: 'log in, log out, show auth status (codex-ts login --help)', run: runLogin },
  { name: 'cloud', summary: 'Codex cloud tasks: list, show, diff, apply, exec, envs', run: runCloud },
  {
    name: 'app-server',
    summary: 'the JSON-RPC app-server over stdio or --listen ws://IP:PORT (codex-ts app-server --help)',
    run: runAppServer,
  },
];
