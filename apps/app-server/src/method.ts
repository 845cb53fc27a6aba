import type { ClientConnection } from './connection.js';
import type { Schema } from './params.js';

/** One request handled by a method. `App` is the server's service bag (kept generic to avoid an import circle). */
export interface MethodCall<P, App> {
  readonly params: P;
  readonly connection: ClientConnection;
  readonly app: App;
  /** Runs `task` right after this request's response is sent (notifications that must follow it). */
  after(task: () => void): void;
}

export interface MethodSpec<P, App> {
  /** Params schema; `undefined` for methods whose params are null-typed (absent, null or `{}` accepted). */
  readonly params: Schema<P> | undefined;
  /** Needs `capabilities.experimentalApi`. */
  readonly experimental?: boolean;
  handle(call: MethodCall<P, App>): Promise<unknown> | unknown;
}

export function defineMethod<P, App>(spec: MethodSpec<P, App>): MethodSpec<unknown, App> {
  return spec as MethodSpec<unknown, App>;
}
