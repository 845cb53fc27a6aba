// A JSON-RPC client for `codex-ts-app-server` over stdio (one JSON object per line), as an editor drives it.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** An error response from the app-server (`code`, `message` as it sent them). */
export class RpcError extends Error {
  constructor(method, error) {
    super(`${method}: ${error.code} ${error.message}`);
    this.name = 'RpcError';
    this.code = error.code;
    this.rpcMessage = error.message;
  }
}

/** `-32600 Invalid request: unknown variant …`: a method this app-server does not serve (yet). */
export const isUnknownMethod = (err) =>
  err instanceof RpcError && err.code === -32600 && err.rpcMessage.includes('unknown variant');

export class AppServerClient {
  #child;
  #pending = new Map();
  #listeners = new Set();
  #nextId = 1;
  #exit;
  /** The server's stderr (its logs), kept for the error hint when it dies. */
  stderr = '';

  /** Spawns `node <cli> ...args` with `env`; the process ends when `close()` ends its stdin. */
  constructor(cli, args, env) {
    this.#child = spawn(process.execPath, [cli, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stderr.setEncoding('utf8').on('data', (d) => {
      this.stderr = (this.stderr + d).slice(-8000);
    });
    this.#child.stdin.on('error', () => {});
    createInterface({ input: this.#child.stdout }).on('line', (line) => this.#receive(line));
    this.exited = new Promise((resolve) => {
      this.#child.once('exit', (code, signal) => {
        const last = this.stderr.trim().split('\n').pop() ?? '';
        this.#exit = new Error(
          `the app-server exited (${signal ?? `code ${code}`})${last ? `: ${last}` : ''}`,
        );
        for (const p of this.#pending.values()) p.reject(this.#exit);
        this.#pending.clear();
        resolve(code);
      });
    });
  }

  request(method, params) {
    if (this.#exit) return Promise.reject(this.#exit);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { method, resolve, reject });
      this.#send(params === undefined ? { id, method } : { id, method, params });
    });
  }

  notify(method, params) {
    this.#send(params === undefined ? { method } : { method, params });
  }

  /** Calls `listener(method, params)` for every notification from now on; returns the unsubscribe. */
  onNotification(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The next notification `method` whose params pass `predicate` (resolves on the message, never on a timer;
   * rejects if the server exits first). Settles only once awaited: an unused wait never becomes an unhandled error.
   */
  next(method, predicate = () => true) {
    let settled = false;
    const waiting = new Promise((resolve, reject) => {
      const off = this.onNotification((m, params) => {
        if (settled || m !== method || !predicate(params)) return;
        settled = true;
        off();
        resolve(params);
      });
      this.exited.then(() => {
        off();
        if (!settled) reject(this.#exit);
        settled = true;
      });
    });
    waiting.catch(() => {});
    return waiting;
  }

  /** Sends the process a signal (Ctrl-C stops it this way). */
  kill(signal) {
    this.#child.kill(signal);
  }

  /** Ends stdin (the server exits on EOF) and waits for it; SIGKILL if it is still there after 10 s. */
  async close() {
    if (this.#exit) return;
    this.#child.stdin.end();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  #send(message) {
    this.#child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  #receive(line) {
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      return;
    }
    if (message.id !== undefined && message.method === undefined) {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (message.error) pending.reject(new RpcError(pending.method, message.error));
      else pending.resolve(message.result);
    } else if (typeof message.method === 'string' && message.id === undefined) {
      for (const listener of [...this.#listeners]) listener(message.method, message.params);
    }
  }
}
