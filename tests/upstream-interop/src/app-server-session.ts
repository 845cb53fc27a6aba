import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** One JSON-RPC message as it crossed stdio, in order. `from` says who sent it. */
export interface TranscriptEntry {
  from: 'client' | 'server';
  message: Record<string, unknown>;
}

/** An error response from the app-server. */
export class AppServerRpcError extends Error {
  override readonly name = 'AppServerRpcError';
  constructor(
    readonly method: string,
    readonly code: number,
    readonly rpcMessage: string,
    readonly data?: unknown,
  ) {
    super(`${method} failed with ${code}: ${rpcMessage}`);
  }
}

/** The app-server process ended, or a wait ran past the session's deadline. */
export class AppServerSessionError extends Error {
  override readonly name = 'AppServerSessionError';
}

export interface AppServerCommand {
  /** The executable and its arguments, e.g. `[codex, 'app-server']` or `['node', 'dist/cli.js', 'app-server']`. */
  argv: readonly string[];
  env: Record<string, string>;
  cwd?: string;
}

type Notification = { method: string; params?: unknown; [key: string]: unknown };

interface Waiter {
  method: string;
  predicate: (params: unknown) => boolean;
  resolve: (n: Notification) => void;
  reject: (e: Error) => void;
}

/**
 * A JSON-RPC client for any app-server that speaks upstream's stdio framing (one JSON object per line). It records
 * every message both ways, answers nothing on its own, and lets a script wait on notifications by method.
 */
export class AppServerSession {
  readonly transcript: TranscriptEntry[] = [];
  /** What the process wrote to stderr (for failure messages). */
  stderr = '';
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly pending = new Map<
    number,
    { method: string; resolve: (r: unknown) => void; reject: (e: Error) => void }
  >();
  private readonly unclaimed: Notification[] = [];
  private readonly waiters: Waiter[] = [];
  private nextId = 1;
  private exitError: AppServerSessionError | undefined;
  private readonly exited: Promise<number | null>;

  private constructor(command: AppServerCommand) {
    const [executable, ...args] = command.argv;
    if (!executable) throw new TypeError('argv needs an executable');
    this.child = spawn(executable, args, {
      env: command.env,
      cwd: command.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.child.stdin.on('error', () => {});
    createInterface({ input: this.child.stdout }).on('line', (line) => this.receive(line));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        this.exitError = new AppServerSessionError(
          `the app-server exited (code ${code}) ; stderr:\n${this.stderr.slice(-4000)}`,
        );
        for (const p of this.pending.values()) p.reject(this.exitError);
        for (const w of this.waiters.splice(0)) w.reject(this.exitError);
        resolve(code);
      });
    });
  }

  static start(command: AppServerCommand): AppServerSession {
    return new AppServerSession(command);
  }

  /** Starts the server and goes through `initialize` / `initialized`; a server that fails it is closed. */
  static async initialized(command: AppServerCommand): Promise<AppServerSession> {
    const session = new AppServerSession(command);
    try {
      await session.request('initialize', { clientInfo: { name: 'codex_ts_interop', version: '0.0.0' } });
    } catch (err) {
      await session.close();
      throw err;
    }
    session.notify('initialized');
    return session;
  }

  /** Sends a request and resolves with its result; an error response rejects with AppServerRpcError. */
  request<T = unknown>(method: string, params?: unknown): Promise<T> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    const message: Record<string, unknown> = { id, method };
    if (params !== undefined) message.params = params;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (r: unknown) => void, reject });
      this.send(message);
    });
  }

  /** `thread/start` in `cwd` (and any other params); the new thread's id. */
  async startThread(cwd: string, params: Record<string, unknown> = {}): Promise<string> {
    const { thread } = await this.request<{ thread: { id: string } }>('thread/start', { ...params, cwd });
    return thread.id;
  }

  /** `turn/start` with one text input; the turn's id (waiting for `turn/completed` is the caller's). */
  async startTurn(threadId: string, text: string): Promise<string> {
    const { turn } = await this.request<{ turn: { id: string } }>('turn/start', {
      threadId,
      input: [{ type: 'text', text, text_elements: [] }],
    });
    return turn.id;
  }

  notify(method: string, params?: unknown): void {
    const message: Record<string, unknown> = { method };
    if (params !== undefined) message.params = params;
    this.send(message);
  }

  /**
   * The first notification of that method (matching the predicate) not yet taken by an earlier wait, including
   * ones that arrived before the call.
   */
  nextNotification<P = unknown>(method: string, predicate: (params: P) => boolean = () => true): Promise<P> {
    const test = predicate as (params: unknown) => boolean;
    const index = this.unclaimed.findIndex((n) => n.method === method && test(n.params));
    if (index >= 0) return Promise.resolve(this.unclaimed.splice(index, 1)[0]!.params as P);
    if (this.exitError) return Promise.reject(this.exitError);
    return new Promise<P>((resolve, reject) => {
      this.waiters.push({ method, predicate: test, resolve: (n) => resolve(n.params as P), reject });
    });
  }

  /** Every notification of that method received so far, claimed or not, in order. */
  notifications<P = unknown>(method: string): P[] {
    return this.transcript
      .filter((e) => e.from === 'server' && e.message.method === method && e.message.id === undefined)
      .map((e) => e.message.params as P);
  }

  /** Ends stdin (upstream exits on EOF) and waits for the process; kills it if it has not gone on its own. */
  async close(): Promise<number | null> {
    if (this.exitError) return this.exited;
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private send(message: Record<string, unknown>): void {
    this.transcript.push({ from: 'client', message });
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  private receive(line: string): void {
    if (line.trim() === '') return;
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.stderr += `[stdout, not JSON] ${line}\n`;
      return;
    }
    this.transcript.push({ from: 'server', message });
    const id = message.id;
    if (typeof id === 'number' && message.method === undefined) {
      const pending = this.pending.get(id);
      if (!pending) return;
      this.pending.delete(id);
      const error = message.error as { code: number; message: string; data?: unknown } | undefined;
      if (error) pending.reject(new AppServerRpcError(pending.method, error.code, error.message, error.data));
      else pending.resolve(message.result);
      return;
    }
    if (typeof message.method !== 'string' || id !== undefined) return;
    const notification = message as Notification;
    const index = this.waiters.findIndex(
      (w) => w.method === notification.method && w.predicate(notification.params),
    );
    if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(notification);
    else this.unclaimed.push(notification);
  }
}
