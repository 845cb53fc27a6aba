import { SUBCOMMANDS } from './commands.js';
import { type CliIo, processIo } from './io.js';
import { cliVersion } from './version.js';

function usage(): string {
  const width = Math.max(...SUBCOMMANDS.map((c) => c.name.length));
  const rows = SUBCOMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'usage: codex-ts <command> [args…]',
    '',
    'commands:',
    ...rows,
    '',
    'options: --help, --version',
    'environment: CODEX_HOME (default ~/.codex); config: $CODEX_HOME/config.toml',
    '',
  ].join('\n');
}

/** Runs `codex-ts`; resolves with the exit code (0 ok, 1 failure, 2 usage; subcommands pass theirs through). */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(usage());
    return 2;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(usage());
    return 0;
  }
  if (first === '--version' || first === '-V') {
    io.stdout.write(`codex-ts ${cliVersion()}\n`);
    return 0;
  }
  const command = SUBCOMMANDS.find((c) => c.name === first);
  if (!command) {
    const what = first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}'`;
    io.stderr.write(`codex-ts: ${what}\nTry 'codex-ts --help'.\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.stderr.write(`codex-ts ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
