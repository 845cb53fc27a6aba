import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * Upstream's generated JSON schema (codex 0.169.0), made on the fly from the real binary when it is on this
 * machine: `CODEX_UPSTREAM_BIN`, the interop suite's cache, or a `npm pack` unpacked under /tmp/codexbin.
 * Nothing of it is committed. Without the binary, `upstreamSchema()` is undefined and the checks are skipped.
 */
const CANDIDATES = [
  process.env.CODEX_UPSTREAM_BIN,
  join(
    homedir(),
    '.cache',
    'codex-ts',
    'upstream',
    '0.169.0',
    'package',
    'vendor',
    'x86_64-unknown-linux-musl',
    'bin',
    'codex',
  ),
  '/tmp/codexbin/package/vendor/x86_64-unknown-linux-musl/bin/codex',
];

/** Method → response schema file (relative to the generated directory). */
export const RESPONSE_SCHEMAS: Record<string, string> = {
  initialize: 'v1/InitializeResponse.json',
  'account/read': 'v2/GetAccountResponse.json',
  'account/login/start': 'v2/LoginAccountResponse.json',
  'account/login/cancel': 'v2/CancelLoginAccountResponse.json',
  'account/logout': 'v2/LogoutAccountResponse.json',
  'account/rateLimits/read': 'v2/GetAccountRateLimitsResponse.json',
  'thread/start': 'v2/ThreadStartResponse.json',
  'thread/resume': 'v2/ThreadResumeResponse.json',
  'thread/list': 'v2/ThreadListResponse.json',
  'thread/read': 'v2/ThreadReadResponse.json',
  'thread/archive': 'v2/ThreadArchiveResponse.json',
  'thread/unarchive': 'v2/ThreadUnarchiveResponse.json',
  'turn/start': 'v2/TurnStartResponse.json',
  'turn/interrupt': 'v2/TurnInterruptResponse.json',
  'model/list': 'v2/ModelListResponse.json',
  'app/list': 'v2/AppsListResponse.json',
  'configRequirements/read': 'v2/ConfigRequirementsReadResponse.json',
};

export interface UpstreamSchema {
  readonly dir: string;
  /** Errors (empty = valid) of a response to `method`; undefined when upstream has no such method. */
  response(method: string, result: unknown): string[] | undefined;
  /** Errors of one server notification `{method, params}`. */
  notification(message: { method: string; params: unknown }): string[];
}

let cached: UpstreamSchema | null | undefined;

function binary(): string | undefined {
  return CANDIDATES.find((p): p is string => typeof p === 'string' && p !== '' && existsSync(p));
}

export function upstreamSchema(): UpstreamSchema | undefined {
  if (cached !== undefined) return cached ?? undefined;
  const bin = binary();
  if (!bin) {
    cached = null;
    return undefined;
  }
  const home = mkdtempSync(join(tmpdir(), 'codex-schema-home-'));
  const dir = mkdtempSync(join(tmpdir(), 'codex-schema-'));
  execFileSync(bin, ['app-server', 'generate-json-schema', '--out', dir], {
    env: { PATH: process.env.PATH ?? '', HOME: home, CODEX_HOME: home },
    stdio: 'ignore',
  });
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const compiled = new Map<string, ValidateFunction>();
  const compile = (file: string): ValidateFunction => {
    let v = compiled.get(file);
    if (!v) {
      v = ajv.compile(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      compiled.set(file, v);
    }
    return v;
  };
  const errors = (v: ValidateFunction, value: unknown): string[] =>
    v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  cached = {
    dir,
    response(method, result) {
      const file = RESPONSE_SCHEMAS[method];
      return file ? errors(compile(file), result) : undefined;
    },
    notification(message) {
      return errors(compile('ServerNotification.json'), message);
    },
  };
  return cached;
}
