import type { AppContext } from './app-context.js';
import { internalError, invalidRequest } from './jsonrpc.js';
import { defineMethod, type MethodSpec } from './method.js';
import { bool, object, optional, str, u32 } from './params.js';

const appList = defineMethod<
  { cursor?: string | undefined; limit?: number | undefined; forceRefetch?: boolean | undefined },
  AppContext
>({
  params: object('AppsListParams', {
    cursor: optional(str()),
    limit: optional(u32()),
    threadId: optional(str()),
    forceRefetch: optional(bool()),
  }),
  async handle({ params, app }) {
    const start = params.cursor === undefined ? 0 : Number(params.cursor);
    if (!Number.isSafeInteger(start) || start < 0) throw invalidRequest(`invalid cursor: ${params.cursor}`);
    const apps = await app.apps.list(params.forceRefetch ?? false).catch((err: unknown) => {
      throw internalError(`failed to list apps: ${(err as Error).message}`);
    });
    const all = apps ?? [];
    const limit = Math.max(1, params.limit ?? (all.length || 1));
    const page = all.slice(start, start + limit);
    return { data: page, nextCursor: start + limit < all.length ? String(start + limit) : null };
  },
});

export const appMethods: ReadonlyArray<[string, MethodSpec<unknown, AppContext>]> = [['app/list', appList]];
