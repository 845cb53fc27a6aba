import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AppServer } from './app-server.js';

export const USAGE = `usage: codex-ts-app-server [--listen stdio:// | ws://IP:PORT]
                           [--ws-auth capability-token --ws-token-file FILE]`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CliOptions {
  readonly listen: { kind: 'stdio' } | { kind: 'ws'; host: string; port: number };
  readonly wsTokenFile: string | undefined;
}

export function parseCliArgs(argv: string[]): CliOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      listen: { type: 'string' },
      'ws-auth': { type: 'string' },
      'ws-token-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const raw = values.listen ?? 'stdio://';
  let listen: CliOptions['listen'];
  if (raw === 'stdio://' || raw === 'stdio') listen = { kind: 'stdio' };
  else {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new UsageError(`--listen: not a URL: ${raw}`);
    }
    if (url.protocol !== 'ws:' || !url.port || url.pathname !== '/') {
      throw new UsageError('--listen must be stdio:// or ws://IP:PORT');
    }
    listen = { kind: 'ws', host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) };
  }
  const auth = values['ws-auth'];
  if (auth !== undefined && auth !== 'capability-token') {
    throw new UsageError(`--ws-auth: unsupported mode ${auth} (supported: capability-token)`);
  }
  if ((auth === undefined) !== (values['ws-token-file'] === undefined)) {
    throw new UsageError('--ws-auth capability-token and --ws-token-file go together');
  }
  if (auth !== undefined && listen.kind !== 'ws')
    throw new UsageError('--ws-auth needs --listen ws://IP:PORT');
  return { listen, wsTokenFile: values['ws-token-file'] };
}

/** Runs the server until stdin closes (stdio) or a signal (websocket). Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let options: CliOptions | 'help';
  try {
    options = parseCliArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let token: string | undefined;
  if (options.wsTokenFile !== undefined) {
    token = (await readFile(options.wsTokenFile, 'utf8')).trim();
    if (token === '') {
      process.stderr.write(`--ws-token-file ${options.wsTokenFile} is empty\n`);
      return 2;
    }
  }
  const server = new AppServer();
  // A config or auth file that cannot be used ends the process (the reason is logged).
  const failed = server.ready.then(
    () => new Promise<number>(() => {}),
    () => 1,
  );
  if (options.listen.kind === 'stdio') {
    const code = await Promise.race([server.serveStdio(process.stdin, process.stdout).then(() => 0), failed]);
    await server.close();
    return code;
  }
  if (
    (await server.ready.then(
      () => 0,
      () => 1,
    )) === 1
  )
    return 1;
  const listener = await server.listen(options.listen.host, options.listen.port, token);
  process.stderr.write(
    `codex-ts app-server listening on ${listener.url} (readyz: http${listener.url.slice(2)}/readyz)\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}
