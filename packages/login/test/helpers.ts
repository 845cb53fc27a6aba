import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type DevBackend, type DevTokens, startDevBackend } from '@codex-ts/dev-backend';
import { chatgptAuthJson } from '@codex-ts/dev-backend/testing';
import { type Logger as PinoLogger, pino } from 'pino';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { parseAuthDotJson } from '../src/auth-json.js';
import { AuthManager, type AuthManagerOptions, REDACT_PATHS } from '../src/index.js';

export { type DevBackend, type DevTokens, startDevBackend };

export interface CapturedLogger {
  logger: PinoLogger;
  lines: string[];
  text(): string;
  warnings(): Array<Record<string, unknown>>;
}

/** A real pino logger at 'debug' writing JSON lines into memory. */
export function captureLogger(): CapturedLogger {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const logger = pino({ level: 'debug', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, stream);
  return {
    logger,
    lines,
    text: () => lines.join(''),
    warnings: () =>
      lines
        .flatMap((l) => l.split('\n'))
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((o) => o.level === 40),
  };
}

/**
 * One dev backend for a test file: started before the first test, closed after the last, and reset (faults,
 * request log, clock) before each test. `bind` receives it.
 */
export function useDevBackend(bind: (backend: DevBackend) => void): void {
  let backend: DevBackend | undefined;
  beforeAll(async () => {
    backend = await startDevBackend();
    bind(backend);
  });
  afterAll(async () => {
    await backend?.close();
  });
  beforeEach(() => {
    backend?.clearFaults();
    backend?.clearRequests();
    backend?.setClockOffset(0);
  });
}

let emailCounter = 0;
/** The dev backend reuses a user by email: give each test its own user. */
export function uniqueEmail(): string {
  emailCounter++;
  return `user${emailCounter}-${process.pid}-${Date.now()}@example.com`;
}

/**
 * The auth.json of a CODEX_HOME as login reads it (parseAuthDotJson): login's identity record is
 * `agent_identity` (on disk `codex_ts_agent_identity`, or 0.122's adopted record). `rawAuth` is the file as is.
 */
export function storedAuth(home: string): ReturnType<typeof JSON.parse> {
  const path = join(home, 'auth.json');
  return parseAuthDotJson(readFileSync(path, 'utf8'), path);
}

/** The auth.json of a CODEX_HOME exactly as it is on disk. */
export function rawAuth(home: string): ReturnType<typeof JSON.parse> {
  return JSON.parse(readFileSync(join(home, 'auth.json'), 'utf8'));
}

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'codex-ts-login-'));
}

export function writeConfig(
  home: string,
  o: { backend?: DevBackend; flag?: boolean; baseUrl?: string; extra?: string },
): void {
  const lines: string[] = [];
  const base = o.baseUrl ?? o.backend?.chatgptBaseUrl;
  if (base) lines.push(`chatgpt_base_url = "${base}"`);
  if (o.extra) lines.push(o.extra);
  lines.push('[features]', `use_agent_identity = ${o.flag ? 'true' : 'false'}`);
  writeFileSync(join(home, 'config.toml'), `${lines.join('\n')}\n`);
}

export function authJsonFor(tokens: DevTokens, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...chatgptAuthJson(tokens), ...extra };
}

export function writeAuth(home: string, doc: unknown): void {
  writeFileSync(join(home, 'auth.json'), typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2), {
    mode: 0o600,
  });
}

/** A home with config.toml (flag on by default) and ChatGPT tokens minted by the backend. */
export async function chatgptHome(
  backend: DevBackend,
  o: {
    flag?: boolean;
    tokens?: DevTokens;
    issue?: Parameters<DevBackend['issueTokens']>[0];
    extra?: Record<string, unknown>;
    config?: string;
  } = {},
): Promise<{ home: string; tokens: DevTokens }> {
  const home = tempHome();
  writeConfig(home, { backend, flag: o.flag ?? true, ...(o.config ? { extra: o.config } : {}) });
  const tokens = o.tokens ?? (await backend.issueTokens({ email: uniqueEmail(), ...o.issue }));
  writeAuth(home, authJsonFor(tokens, o.extra));
  return { home, tokens };
}

export function managerFor(
  backend: DevBackend,
  home: string,
  o: Partial<AuthManagerOptions> & { log?: CapturedLogger } = {},
): Promise<AuthManager> {
  const { log, ...rest } = o;
  return AuthManager.create({
    codexHome: home,
    env: { CODEX_REFRESH_TOKEN_URL_OVERRIDE: backend.tokenUrl },
    logger: (log ?? captureLogger()).logger,
    registrationRetryDelayMs: 0,
    ...rest,
  });
}

export function req(backend: DevBackend, path = '/wham/usage', method = 'GET') {
  return { url: new URL(`${backend.chatgptBaseUrl}${path}`), method };
}

export function decodeAssertion(header: string): {
  agent_runtime_id: string;
  task_id: string;
  timestamp: string;
  signature: string;
} {
  const token = header.replace(/^AgentAssertion /, '');
  return JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
}

export const registrations = (b: DevBackend) =>
  b.requests({ path: '/backend-api/v1/agent/register', method: 'POST' });
export const taskRegistrations = (b: DevBackend) =>
  b.requests({ method: 'POST' }).filter((r) => /\/v1\/agent\/[^/]+\/task\/register$/.test(r.path));
