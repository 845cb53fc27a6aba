import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv, type ValidateFunction } from 'ajv';
import type { TranscriptEntry } from './app-server-session.js';

const run = promisify(execFile);

/** Runs `codex app-server generate-json-schema --out DIR` with the given upstream binary. */
export async function generateAppServerSchema(
  codexBinary: string,
  outDir: string,
  env: Record<string, string>,
): Promise<void> {
  await run(codexBinary, ['app-server', 'generate-json-schema', '--out', outDir], { env });
}

/** One message of a transcript that upstream's schema rejects (or has no schema for). */
export interface SchemaViolation {
  /** Index in the transcript. */
  index: number;
  from: TranscriptEntry['from'];
  /** The method of the message, or of the request a response answers. */
  method: string;
  /** The schema file the message was checked against. */
  schema: string;
  errors: string[];
}

const INTEGER_FORMATS: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint: [0, Number.MAX_SAFE_INTEGER],
  uint16: [0, 2 ** 16 - 1],
  uint32: [0, 2 ** 32 - 1],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

/** Response types whose request has no params type to derive the name from. */
const RESPONSE_BY_METHOD: Record<string, string> = {
  'account/logout': 'LogoutAccountResponse',
  'account/rateLimits/read': 'GetAccountRateLimitsResponse',
};

interface ClientRequestSchema {
  oneOf: { properties: { method: { enum: string[] }; params?: { $ref?: string } } }[];
}

/**
 * Upstream's generated app-server JSON Schema (the directory `generate-json-schema` wrote), compiled with ajv:
 * client requests against `ClientRequest`, notifications against `ServerNotification`/`ClientNotification`, server
 * requests against `ServerRequest`, and each result against the response type of the method it answers.
 */
export class AppServerSchema {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly responseNames = new Map<string, string>();

  private constructor(private readonly dir: string) {
    for (const [name, [min, max]] of Object.entries(INTEGER_FORMATS)) {
      this.ajv.addFormat(name, {
        type: 'number',
        validate: (n: number) => Number.isInteger(n) && n >= min && n <= max,
      });
    }
    this.ajv.addFormat('double', { type: 'number', validate: () => true });
  }

  static async load(dir: string): Promise<AppServerSchema> {
    const schema = new AppServerSchema(dir);
    const requests = JSON.parse(
      await readFile(join(dir, 'ClientRequest.json'), 'utf8'),
    ) as ClientRequestSchema;
    for (const variant of requests.oneOf) {
      const method = variant.properties.method.enum[0];
      const ref = variant.properties.params?.$ref;
      if (method && ref?.endsWith('Params')) {
        schema.responseNames.set(method, ref.replace('#/definitions/', '').replace(/Params$/, 'Response'));
      }
    }
    for (const [method, name] of Object.entries(RESPONSE_BY_METHOD)) schema.responseNames.set(method, name);
    return schema;
  }

  /** Every message of the transcript that does not validate; an empty list means all of them did. */
  async validateTranscript(transcript: readonly TranscriptEntry[]): Promise<SchemaViolation[]> {
    const violations: SchemaViolation[] = [];
    const methodsById = new Map<string, string>();
    for (const [index, { from, message }] of transcript.entries()) {
      const isRequest = typeof message.method === 'string' && message.id !== undefined;
      const isNotification = typeof message.method === 'string' && message.id === undefined;
      let method = typeof message.method === 'string' ? message.method : '';
      let schemaName: string | undefined;
      let value: unknown = message;
      if (isRequest) {
        methodsById.set(`${from}:${JSON.stringify(message.id)}`, method);
        schemaName = from === 'client' ? 'ClientRequest' : 'ServerRequest';
      } else if (isNotification) {
        schemaName = from === 'client' ? 'ClientNotification' : 'ServerNotification';
      } else {
        const requester = from === 'server' ? 'client' : 'server';
        method = methodsById.get(`${requester}:${JSON.stringify(message.id)}`) ?? '(unknown request)';
        if (message.error !== undefined) {
          schemaName = 'JSONRPCErrorError';
          value = message.error;
        } else {
          schemaName = this.responseNames.get(method);
          value = message.result;
        }
      }
      const check = schemaName ? await this.validator(schemaName) : undefined;
      if (!check) {
        violations.push({ index, from, method, schema: schemaName ?? '(none)', errors: ['no schema found'] });
        continue;
      }
      if (!check(value)) {
        const errors = (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`);
        violations.push({ index, from, method, schema: schemaName!, errors });
      }
    }
    return violations;
  }

  private async validator(name: string): Promise<ValidateFunction | undefined> {
    const known = this.compiled.get(name);
    if (known) return known;
    for (const candidate of [
      join(this.dir, `${name}.json`),
      join(this.dir, 'v2', `${name}.json`),
      join(this.dir, 'v1', `${name}.json`),
    ]) {
      let text: string;
      try {
        text = await readFile(candidate, 'utf8');
      } catch {
        continue;
      }
      const compiled = this.ajv.compile(JSON.parse(text) as object);
      this.compiled.set(name, compiled);
      return compiled;
    }
    return undefined;
  }
}
