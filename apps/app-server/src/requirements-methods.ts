import { parse as parseToml } from 'smol-toml';
import type { AppContext } from './app-context.js';
import { internalError } from './jsonrpc.js';
import { defineMethod, type MethodSpec } from './method.js';

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** requirements.toml's snake_case tables as the wire's camelCase (`allowed_sandbox_modes` → `allowedSandboxModes`). */
export function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), camelKeys(v)]));
}

/**
 * `configRequirements/read`: the managed requirements the backend holds for the account (backend-client's
 * `/wham/config/requirements` with the default provider), parsed from their TOML. Null when none are set or the
 * auth is not a ChatGPT account.
 */
const requirementsRead = defineMethod<undefined, AppContext>({
  params: undefined,
  async handle({ app }) {
    const none = { requirements: null, supportsIndependentSpeedModes: null };
    if (!(await app.auth.auth())?.isChatgpt()) return none;
    const file = await app.backend.getConfigRequirements().catch((err: unknown) => {
      throw internalError(`failed to read config requirements: ${(err as Error).message}`);
    });
    let doc: Record<string, unknown>;
    try {
      doc = parseToml(file.contents ?? '') as Record<string, unknown>;
    } catch (err) {
      throw internalError(
        `failed to parse the managed requirements: ${(err as Error).message.split('\n')[0]}`,
      );
    }
    if (Object.keys(doc).length === 0) return none;
    return { requirements: camelKeys(doc), supportsIndependentSpeedModes: null };
  },
});

export const requirementsMethods: ReadonlyArray<[string, MethodSpec<unknown, AppContext>]> = [
  ['configRequirements/read', requirementsRead],
];
