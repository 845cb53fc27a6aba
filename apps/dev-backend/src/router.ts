import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from './app.js';
import type { RecordDraft } from './requests-log.js';
import type { UserRecord } from './state.js';
import type { TaskKind } from './types.js';

/** Who made a request that passed `authenticate`. */
export interface Principal {
  scheme: 'bearer' | 'assertion';
  user: UserRecord;
  accountId: string;
  agentRuntimeId?: string;
  taskId?: string;
  taskKind?: TaskKind;
}

export interface Ctx {
  readonly app: App;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly record: RecordDraft;
  /** Set for `protected` routes before the handler runs. */
  principal?: Principal;
}

export type Handler = (ctx: Ctx) => Promise<void> | void;

/** `protected`: Bearer or AgentAssertion required; `public`: the handler does its own checks, if any. */
export type RouteAuth = 'protected' | 'public';

interface Route {
  method: string;
  segments: string[];
  auth: RouteAuth;
  handler: Handler;
}

export type RouteMatch =
  | { kind: 'found'; auth: RouteAuth; handler: Handler; params: Record<string, string> }
  | { kind: 'method_not_allowed'; allow: string[] }
  | { kind: 'not_found' };

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/** A tiny router: literal segments and `:name` segments, matched in registration order. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, auth: RouteAuth, handler: Handler): this {
    this.routes.push({ method: method.toUpperCase(), segments: split(pattern), auth, handler });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    const parts = split(path);
    const allow: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
        return { kind: 'found', auth: route.auth, handler: route.handler, params };
      }
      allow.push(route.method);
    }
    return allow.length > 0 ? { kind: 'method_not_allowed', allow } : { kind: 'not_found' };
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const part = parts[i]!;
    if (p.startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(part);
      } catch {
        return undefined;
      }
      params[p.slice(1)] = value;
    } else if (p !== part) {
      return undefined;
    }
  }
  return params;
}
