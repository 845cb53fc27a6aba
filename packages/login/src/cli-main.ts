import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { isAgentAssertionHost, normalizeChatgptBaseUrl } from '@codex-ts/agent-identity';
import { parseApiKeyInput, readBoundedStdin } from './api-key-input.js';
import { humanLogger, type Verbosity } from './cli-logger.js';
import { AuthFileError } from './errors.js';
import { AuthManager, type AuthManagerOptions, type AuthStatus } from './manager.js';
import { FileAuthStore } from './storage.js';
import { LOGIN_PACKAGE_VERSION } from './version.js';

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Reads all of stdin (for `login --with-api-key`). */
  readStdin?: () => Promise<string>;
  /** Whether stdin is a terminal (default: `process.stdin.isTTY` when `readStdin` is not given, else false). */
  stdinIsTTY?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Extra manager options (tests: logger, dispatcher, …). Without a logger, warnings print as human lines. */
  managerOptions?: AuthManagerOptions;
}

const NAME = 'codex-ts-login';
const OUTPUT_FLAGS = '[--verbose|--quiet]';

type OptionSpec = Record<string, { type: 'boolean' | 'string'; short?: string }>;
interface Command {
  usage: string;
  summary: string;
  details: string;
  options: OptionSpec;
}

const COMMON: OptionSpec = {
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean' },
  quiet: { type: 'boolean' },
};

const COMMANDS: Record<string, Command> = {
  status: {
    usage: `status [--json] [--check] ${OUTPUT_FLAGS}`,
    summary: 'auth mode, account, plan, agent identity state (exit 1 when not logged in)',
    details:
      '  --json    the status as JSON\n  --check   register (or load) the agent identity first, so a fallback shows here\n',
    options: { json: { type: 'boolean' }, check: { type: 'boolean' } },
  },
  login: {
    usage: `login --with-api-key ${OUTPUT_FLAGS}`,
    summary: 'read an API key from stdin and store it',
    details:
      '  --with-api-key   read the key from stdin (a pipe or file, not a terminal):\n' +
      `                   printenv OPENAI_API_KEY | ${NAME} login --with-api-key\n`,
    options: { 'with-api-key': { type: 'boolean' } },
  },
  logout: {
    usage: `logout ${OUTPUT_FLAGS}`,
    summary: 'remove stored credentials (also when auth.json is corrupt)',
    details: '',
    options: {},
  },
  'print-authorization': {
    usage: `print-authorization [--thread <id>] [--url <url>] ${OUTPUT_FLAGS}`,
    summary: 'print the Authorization header value a backend call would carry now',
    details:
      '  --thread <id>   as a call for that conversation thread (its task assertion)\n' +
      '  --url <url>     as a call to that URL (default: the ChatGPT base URL)\n',
    options: { thread: { type: 'string' }, url: { type: 'string' } },
  },
};

const USAGE = `usage: ${NAME} <command> [options]

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(21)}${c.summary}`)
  .join('\n')}

options: --help (also after a command), --version, --verbose (info lines too), --quiet (no warnings)
environment: CODEX_HOME, CODEX_API_KEY, OPENAI_API_KEY, CODEX_REFRESH_TOKEN_URL_OVERRIDE,
             CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL; config: $CODEX_HOME/config.toml
`;

function commandHelp(c: Command): string {
  return `usage: ${NAME} ${c.usage}\n\n${c.summary}\n${c.details ? `\n${c.details}` : ''}\n  --verbose       print info lines too\n  --quiet         print no warnings\n`;
}

class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

/** The command's options (strict: an unknown option or a stray argument is a usage error). */
function parseOptions(command: string, args: string[]) {
  try {
    return parseArgs({
      args,
      options: { ...COMMON, ...COMMANDS[command]!.options },
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    // node's message goes on about positionals after '--'; the first sentence is the error.
    throw new UsageError((err as Error).message.split(/\n|\. To specify/)[0]!, command);
  }
}

function statusLines(s: AuthStatus): string {
  const lines = [
    `logged in:        ${s.loggedIn ? 'yes' : 'no'}`,
    ...(s.loggedIn ? [`auth mode:        ${s.mode} (${s.source})`] : []),
    ...(s.accountId ? [`account:          ${s.accountId}${s.fedramp ? ' (FedRAMP)' : ''}`] : []),
    ...(s.email ? [`email:            ${s.email}`] : []),
    ...(s.plan ? [`plan:             ${s.plan}`] : []),
    `store:            ${s.store}`,
    `agent identity:   ${s.agentIdentity.enabled ? 'on' : 'off'} (${s.agentIdentity.state})`,
    ...(s.agentIdentity.agentRuntimeId ? [`runtime id:       ${s.agentIdentity.agentRuntimeId}`] : []),
    ...(s.agentIdentity.enabled
      ? [`background task:  ${s.agentIdentity.backgroundTask ? 'held' : 'none'}`]
      : []),
    ...(s.agentIdentity.fallbackReason
      ? [`fallback:         bearer (${s.agentIdentity.fallbackReason})`]
      : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure or not logged in, 2 usage). */
export async function main(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const args = [...argv];
  const command = args.shift();
  if (command === '--version' || command === '-V') {
    io.stdout.write(`${NAME} ${LOGIN_PACKAGE_VERSION}\n`);
    return 0;
  }
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    (command ? io.stdout : io.stderr).write(USAGE);
    return command ? 0 : 2;
  }
  let baseUrl: string | undefined;
  try {
    if (!(command in COMMANDS)) throw new UsageError(`unknown command: ${command}`);
    const values = parseOptions(command, args);
    if (values.help) {
      io.stdout.write(commandHelp(COMMANDS[command]!));
      return 0;
    }
    if (values.verbose && values.quiet)
      throw new UsageError('--verbose and --quiet exclude each other', command);
    const verbosity: Verbosity = values.verbose ? 'verbose' : values.quiet ? 'quiet' : 'normal';
    const say = (line: string) => {
      if (verbosity !== 'quiet') io.stderr.write(`${line}\n`);
    };
    const managerOptions: AuthManagerOptions = {
      logger: humanLogger(
        (l) => io.stderr.write(l),
        verbosity,
        () => baseUrl,
      ),
      ...(io.managerOptions ?? {}),
    };
    if (io.env) managerOptions.env = io.env;
    const create = async (extra: Partial<AuthManagerOptions> = {}) => {
      const manager = await AuthManager.create({ ...managerOptions, ...extra });
      baseUrl = manager.config.chatgptBaseUrl;
      return manager;
    };
    /** Registration can take seconds: say so before waiting on it. */
    const prewarm = async (manager: AuthManager) => {
      const { agentIdentity } = await manager.status();
      if (agentIdentity.state === 'unregistered') say(`registering an agent identity with ${baseUrl} …`);
      else if (agentIdentity.state === 'registered' && !agentIdentity.backgroundTask)
        say(`registering the background agent task with ${baseUrl} …`);
      await manager.prewarmAgentIdentity();
    };

    switch (command) {
      case 'status': {
        const manager = await create();
        if (values.check) await prewarm(manager);
        const s = await manager.status();
        io.stdout.write(values.json ? `${JSON.stringify(s, null, 2)}\n` : statusLines(s));
        return s.loggedIn ? 0 : 1;
      }
      case 'login': {
        if (!values['with-api-key'])
          throw new UsageError('only `login --with-api-key` is supported (browser login is not)', command);
        const tty = io.readStdin ? io.stdinIsTTY === true : (io.stdinIsTTY ?? process.stdin.isTTY === true);
        if (tty)
          throw new UsageError(
            `stdin is a terminal; pipe the key in: printenv OPENAI_API_KEY | ${NAME} login --with-api-key`,
            command,
          );
        const input = parseApiKeyInput(await (io.readStdin ?? readBoundedStdin)());
        if ('problem' in input) throw new UsageError(input.problem, command);
        const manager = await create({ enableCodexApiKeyEnv: false });
        await manager.loginWithApiKey(input.key);
        io.stderr.write(`Successfully logged in (${manager.store.location})\n`);
        return 0;
      }
      case 'logout': {
        let removed: boolean;
        try {
          removed = await (await create()).logout();
        } catch (err) {
          // An unreadable auth.json must not keep anyone logged in: remove it without reading it (a regular
          // file only, under the lock, with stale temp files).
          if (!(err instanceof AuthFileError) || err.code === 'auth_file_not_regular') throw err;
          removed = await new FileAuthStore(dirname(err.path)).discard();
        }
        io.stderr.write(removed ? 'Successfully logged out\n' : 'Not logged in\n');
        return 0;
      }
      default: {
        const { thread: threadId, url } = values as { thread?: string; url?: string };
        if (url !== undefined && !URL.canParse(url))
          throw new UsageError(`--url must be an absolute URL, got ${JSON.stringify(url)}`, command);
        const manager = await create();
        const target = new URL(url ?? normalizeChatgptBaseUrl(manager.config.chatgptBaseUrl));
        // A one-shot process waits for registration instead of answering with bearer after registrationWaitMs.
        if (!threadId && isAgentAssertionHost(target)) await prewarm(manager);
        const provider = threadId ? manager.threadProvider(threadId) : manager.defaultProvider();
        if (threadId && isAgentAssertionHost(target)) {
          const { state } = (await manager.status()).agentIdentity;
          if (state === 'unregistered' || state === 'registered' || state === 'active')
            say(`registering a task for thread ${threadId} with ${baseUrl} …`);
        }
        const value = (await provider.headers({ url: target, method: 'POST' })).Authorization;
        if (!value) {
          io.stderr.write(`no credentials would be sent to ${target.origin}\n`);
          return 1;
        }
        io.stdout.write(`${value}\n`);
        return 0;
      }
    }
  } catch (err) {
    if (err instanceof UsageError) {
      const help = err.command ? `${NAME} ${err.command} --help` : `${NAME} --help`;
      io.stderr.write(`error: ${err.message}\nhint: run \`${help}\` for usage\n`);
      return 2;
    }
    const e = err as { message?: string; code?: string };
    io.stderr.write(`error: ${e.message ?? String(err)}${e.code ? ` [${e.code}]` : ''}\n`);
    return 1;
  }
}
