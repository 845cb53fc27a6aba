import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isAgentAssertionHost, normalizeChatgptBaseUrl } from '@codex-ts/agent-identity';
import { AuthFileError } from './errors.js';
import { AuthManager, type AuthManagerOptions } from './manager.js';

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Reads all of stdin (for `login --with-api-key`). */
  readStdin?: () => Promise<string>;
  env?: NodeJS.ProcessEnv;
  /** Extra manager options (tests: logger, dispatcher, …). */
  managerOptions?: AuthManagerOptions;
}

const USAGE = `usage: codex-ts-login <command>

commands:
  status [--json] [--check]                         auth mode, account, plan, agent identity state
                                                    (--check: register/load the identity first)
  login --with-api-key                              read an API key from stdin and store it
  logout                                            remove stored credentials
  print-authorization [--thread <id>] [--url <u>]   print the Authorization header value a backend call would carry now

environment: CODEX_HOME, CODEX_API_KEY, OPENAI_API_KEY, CODEX_REFRESH_TOKEN_URL_OVERRIDE,
             CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL; config: $CODEX_HOME/config.toml
`;

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}

type OptionSpec = Record<string, { type: 'boolean' | 'string' }>;

/** The command's options (strict: an unknown option or a stray argument is a usage error). */
function options<T extends OptionSpec>(args: string[], spec: T) {
  try {
    return parseArgs({ args, options: spec, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

class UsageError extends Error {}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 usage). */
export async function main(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const args = [...argv];
  const command = args.shift();
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    (command ? io.stdout : io.stderr).write(USAGE);
    return command ? 0 : 2;
  }
  try {
    const managerOptions: AuthManagerOptions = { ...(io.managerOptions ?? {}) };
    if (io.env) managerOptions.env = io.env;
    switch (command) {
      case 'status': {
        const { json, check } = options(args, { json: { type: 'boolean' }, check: { type: 'boolean' } });
        const manager = await AuthManager.create(managerOptions);
        // --check: try to get the identity and background task now, so a fallback shows up here.
        if (check) await manager.prewarmAgentIdentity();
        const s = await manager.status();
        if (json) {
          io.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
        } else {
          const lines = [
            `logged in:        ${s.loggedIn ? 'yes' : 'no'}`,
            ...(s.loggedIn ? [`auth mode:        ${s.mode} (${s.source})`] : []),
            ...(s.accountId ? [`account:          ${s.accountId}${s.fedramp ? ' (FedRAMP)' : ''}`] : []),
            ...(s.email ? [`email:            ${s.email}`] : []),
            ...(s.plan ? [`plan:             ${s.plan}`] : []),
            `store:            ${s.store}`,
            `agent identity:   ${s.agentIdentity.enabled ? 'on' : 'off'} (${s.agentIdentity.state})`,
            ...(s.agentIdentity.agentRuntimeId
              ? [`runtime id:       ${s.agentIdentity.agentRuntimeId}`]
              : []),
            ...(s.agentIdentity.enabled
              ? [`background task:  ${s.agentIdentity.backgroundTask ? 'held' : 'none'}`]
              : []),
            ...(s.agentIdentity.fallbackReason
              ? [`fallback:         bearer (${s.agentIdentity.fallbackReason})`]
              : []),
          ];
          io.stdout.write(`${lines.join('\n')}\n`);
        }
        return 0;
      }
      case 'login': {
        if (!options(args, { 'with-api-key': { type: 'boolean' } })['with-api-key'])
          throw new UsageError('only `login --with-api-key` is supported (browser login is not)');
        const key = (await (io.readStdin ?? readAllStdin)()).trim();
        if (!key)
          throw new UsageError(
            'no API key on stdin (try: printenv OPENAI_API_KEY | codex-ts-login login --with-api-key)',
          );
        const manager = await AuthManager.create({ ...managerOptions, enableCodexApiKeyEnv: false });
        await manager.loginWithApiKey(key);
        io.stderr.write(`Successfully logged in (${manager.store.location})\n`);
        return 0;
      }
      case 'logout': {
        options(args, {});
        let removed: boolean;
        try {
          removed = await (await AuthManager.create(managerOptions)).logout();
        } catch (err) {
          // An unreadable auth.json must not keep anyone logged in: remove it without reading it.
          if (!(err instanceof AuthFileError)) throw err;
          await rm(err.path, { force: true });
          removed = true;
        }
        io.stderr.write(removed ? 'Successfully logged out\n' : 'Not logged in\n');
        return 0;
      }
      case 'print-authorization': {
        const { thread: threadId, url } = options(args, {
          thread: { type: 'string' },
          url: { type: 'string' },
        });
        const manager = await AuthManager.create(managerOptions);
        if (url !== undefined && !URL.canParse(url))
          throw new UsageError(`--url must be an absolute URL, got ${url}`);
        const target = new URL(url ?? normalizeChatgptBaseUrl(manager.config.chatgptBaseUrl));
        // A one-shot process waits for registration instead of answering with bearer after registrationWaitMs.
        if (!threadId && isAgentAssertionHost(target)) await manager.prewarmAgentIdentity();
        const provider = threadId ? manager.threadProvider(threadId) : manager.defaultProvider();
        const headers = await provider.headers({ url: target, method: 'POST' });
        const value = headers.Authorization;
        if (!value) {
          io.stderr.write(`no credentials would be sent to ${target.origin}\n`);
          return 1;
        }
        io.stdout.write(`${value}\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`error: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    const e = err as { message?: string; code?: string };
    io.stderr.write(`error: ${e.message ?? String(err)}${e.code ? ` [${e.code}]` : ''}\n`);
    return 1;
  }
}
