import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect } from 'vitest';
import { RegistrationError } from '../src/errors.js';
import { AgentKey } from '../src/keys.js';
import { createAgentSigner } from '../src/signer.js';
import { GOLDEN_SEED } from './golden-vector.js';

/** A recording node:http server per test and the fixtures the registration suites share. */
export interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

// What fetch itself adds to every request (undici's defaults), not what the calls choose to send.
const TRANSPORT_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'accept',
  'accept-encoding',
  'accept-language',
  'sec-fetch-mode',
  'user-agent',
]);
export const servers: Server[] = [];

export async function startServer(handler: Handler): Promise<{ url: string; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (!TRANSPORT_HEADERS.has(name)) headers[name] = String(value);
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers, body });
      handler(req, res, body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

export function json(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

export async function registrationError(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RegistrationError);
    const e = error as RegistrationError;
    return {
      name: e.name,
      code: e.code,
      operation: e.operation,
      status: e.status,
      body: e.body,
      url: e.url,
      retryable: e.retryable,
      message: e.message,
    };
  }
  throw new Error('expected RegistrationError');
}

export const KEY = AgentKey.fromSeed(GOLDEN_SEED);
export const NOW = new Date('2026-04-23T00:00:00Z');
export const SIGNER = createAgentSigner({ agentRuntimeId: 'agent-123', key: KEY });
export const TASK_SIGNATURE = KEY.signBase64('agent-123:2026-04-23T00:00:00Z');
export const ACCESS_TOKEN = 'access-token-secret-123';
export const BISCUIT = 'biscuit-secret-456';
export const ABOM = { agent_version: '0.1.0', agent_harness_id: 'codex-cli', running_location: 'cli-linux' };
