#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isAgentAssertionHost, normalizeChatgptBaseUrl } from '@codex-ts/agent-identity';
import type { AuthDotJson } from './auth-json.js';
import { LoginError } from './errors.js';
import { AuthManager, type AuthManagerOptions } from './manager.js';
import type { AuthStore, AuthTransaction } from './storage.js';

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

function takeOption(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
  args.splice(i, 2);
  return v;
}

function takeFlag(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
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
    const options: AuthManagerOptions = { ...(io.managerOptions ?? {}) };
    if (io.env) options.env = io.env;
    switch (command) {
      case 'status': {
        const json = takeFlag(args, '--json');
        const check = takeFlag(args, '--check');
        expectNoArgs(args);
        const manager = await AuthManager.create(options);
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
        if (!takeFlag(args, '--with-api-key'))
          throw new UsageError('only `login --with-api-key` is supported (browser login is not)');
        expectNoArgs(args);
        const key = (await (io.readStdin ?? readAllStdin)()).trim();
        if (!key)
          throw new UsageError(
            'no API key on stdin (try: printenv OPENAI_API_KEY | codex-ts-login login --with-api-key)',
          );
        const manager = await AuthManager.create({ ...options, enableCodexApiKeyEnv: false });
        await manager.loginWithApiKey(key);
        io.stderr.write(`Successfully logged in (${manager.store.location})\n`);
        return 0;
      }
      case 'logout': {
        expectNoArgs(args);
        const manager = await AuthManager.create(options).catch(async (err) => {
          // A corrupt auth.json must not prevent logging out.
          if (err instanceof LoginError && err.code.startsWith('auth_file')) {
            return AuthManager.create({ ...options, store: new NullLoadStore(err) });
          }
          throw err;
        });
        const removed = await manager.logout();
        io.stderr.write(removed ? 'Successfully logged out\n' : 'Not logged in\n');
        return 0;
      }
      case 'print-authorization': {
        const threadId = takeOption(args, '--thread');
        const url = takeOption(args, '--url');
        expectNoArgs(args);
        const manager = await AuthManager.create(options);
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

function expectNoArgs(args: string[]): void {
  if (args.length) throw new UsageError(`unexpected argument: ${args[0]}`);
}

/** Used only by `logout` when auth.json is unreadable: loads nothing, deletes the file. */
class NullLoadStore implements AuthStore {
  readonly kind = 'file' as const;
  readonly location: string;
  constructor(err: unknown) {
    this.location = (err as { path: string }).path;
  }
  async load(): Promise<AuthDotJson | undefined> {
    return undefined;
  }
  transaction<T>(fn: (tx: AuthTransaction) => Promise<T>): Promise<T> {
    return fn({
      current: {},
      write: () => Promise.reject(new Error('read-only')),
      remove: async () => {
        await rm(this.location, { force: true });
      },
    });
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`error: ${(err as Error)?.message ?? 'unexpected failure'}\n`);
      process.exitCode = 1;
    },
  );
}
