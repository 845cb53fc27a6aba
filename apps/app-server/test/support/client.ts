import { PassThrough } from 'node:stream';
import { expect } from 'vitest';
import type { AppServer } from '../../src/index.js';
import { upstreamSchema } from './upstream-schema.js';

export interface Reply {
  readonly id: string | number;
  readonly result?: unknown;
  readonly error?: { code: number; message: string; data?: unknown };
}

export interface Notification {
  readonly method: string;
  readonly params: unknown;
  readonly emittedAtMs: number;
}

/**
 * A scripted stdio client of an in-process AppServer. Every response and notification is checked
 * against upstream's generated schema when the upstream binary is on this machine.
 */
export class TestClient {
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  readonly notifications: Notification[] = [];
  readonly raw: unknown[] = [];
  readonly done: Promise<void>;
  readonly #pending = new Map<string | number, { method: string; resolve: (r: Reply) => void }>();
  readonly #waiters: Array<{ test: (n: Notification) => boolean; resolve: (n: Notification) => void }> = [];
  #nextId = 1;
  #buffer = '';

  constructor(server: AppServer) {
    this.done = server.serveStdio(this.input, this.output);
    this.output.setEncoding('utf8');
    this.output.on('data', (chunk: string) => {
      this.#buffer += chunk;
      let nl = this.#buffer.indexOf('\n');
      while (nl !== -1) {
        const line = this.#buffer.slice(0, nl);
        this.#buffer = this.#buffer.slice(nl + 1);
        this.#onMessage(JSON.parse(line) as Record<string, unknown>);
        nl = this.#buffer.indexOf('\n');
      }
    });
  }

  #onMessage(message: Record<string, unknown>): void {
    this.raw.push(message);
    expect(message).not.toHaveProperty('jsonrpc');
    if ('id' in message) {
      const pending = this.#pending.get(message.id as string | number);
      if (!pending) throw new Error(`reply to unknown id ${String(message.id)}`);
      this.#pending.delete(message.id as string | number);
      const reply = message as unknown as Reply;
      const schema = upstreamSchema();
      if (schema && reply.result !== undefined) {
        expect(schema.response(pending.method, reply.result) ?? [], pending.method).toEqual([]);
      }
      pending.resolve(reply);
      return;
    }
    const n = message as unknown as Notification;
    expect(typeof n.emittedAtMs).toBe('number');
    const schema = upstreamSchema();
    if (schema && !n.method.startsWith('account/agentIdentity')) {
      expect(schema.notification({ method: n.method, params: n.params }), n.method).toEqual([]);
    }
    this.notifications.push(n);
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const w = this.#waiters[i]!;
      if (w.test(n)) {
        this.#waiters.splice(i, 1);
        w.resolve(n);
      }
    }
  }

  send(message: unknown): void {
    this.input.write(`${typeof message === 'string' ? message : JSON.stringify(message)}\n`);
  }

  /** Sends a request and resolves with its reply (result or error). */
  call(method: string, params?: unknown, id: string | number = this.#nextId++): Promise<Reply> {
    return new Promise((resolve) => {
      this.#pending.set(id, { method, resolve });
      this.send(params === undefined ? { id, method } : { id, method, params });
    });
  }

  /** Sends a request exactly as given (e.g. with a `jsonrpc` member) and resolves with its reply. */
  callRaw(message: { id: string | number; method: string; [k: string]: unknown }): Promise<Reply> {
    return new Promise((resolve) => {
      this.#pending.set(message.id, { method: message.method, resolve });
      this.send(message);
    });
  }

  /** Sends a request and returns its result; fails the test on an error reply. */
  async result<T = Record<string, unknown>>(method: string, params?: unknown): Promise<T> {
    const reply = await this.call(method, params);
    if (reply.error) throw new Error(`${method} failed: ${JSON.stringify(reply.error)}`);
    return reply.result as T;
  }

  async initialize(capabilities?: Record<string, unknown>): Promise<Record<string, unknown>> {
    const result = await this.result('initialize', {
      clientInfo: { name: 'codex_ts_test', version: '1.0.0' },
      ...(capabilities ? { capabilities } : {}),
    });
    this.send({ method: 'initialized' });
    return result;
  }

  /** The next notification (already received or future) matching `method` and `test`. */
  next(
    method: string,
    test: (params: Record<string, unknown>) => boolean = () => true,
  ): Promise<Notification> {
    const match = (n: Notification) => n.method === method && test(n.params as Record<string, unknown>);
    const seen = this.notifications.find(match);
    if (seen) {
      this.notifications.splice(this.notifications.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) =>
      this.#waiters.push({
        test: match,
        resolve: (n) => {
          this.notifications.splice(this.notifications.indexOf(n), 1);
          resolve(n);
        },
      }),
    );
  }

  methods(): string[] {
    return this.notifications.map((n) => n.method);
  }

  async close(): Promise<void> {
    this.input.end();
    await this.done;
  }
}
