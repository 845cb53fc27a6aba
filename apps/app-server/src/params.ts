/**
 * Params validation with serde's wording, so a bad request gets the message upstream's server gives
 * (`missing field \`x\``, `invalid type: string "a", expected a boolean`, `unknown variant \`v\`, expected one of …`).
 * Unknown members are ignored, as upstream does.
 */

export class ParamsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParamsError';
  }
}

export interface Schema<T> {
  readonly expected: string;
  parse(value: unknown): T;
}

/** serde's description of an unexpected value. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  if (typeof value === 'boolean') return `boolean \`${value}\``;
  if (typeof value === 'number') {
    return Number.isInteger(value) ? `integer \`${value}\`` : `floating point \`${value}\``;
  }
  if (Array.isArray(value)) return 'sequence';
  return 'map';
}

function invalidType(value: unknown, expected: string): ParamsError {
  return new ParamsError(`invalid type: ${describeValue(value)}, expected ${expected}`);
}

function primitive<T>(expected: string, ok: (v: unknown) => boolean): Schema<T> {
  return {
    expected,
    parse(value) {
      if (!ok(value)) throw invalidType(value, expected);
      return value as T;
    },
  };
}

export const str = (): Schema<string> => primitive('a string', (v) => typeof v === 'string');
export const bool = (): Schema<boolean> => primitive('a boolean', (v) => typeof v === 'boolean');
export const u32 = (): Schema<number> =>
  primitive('u32', (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff);
export const anyValue = (): Schema<unknown> => ({ expected: 'any value', parse: (v) => v });

export function array<T>(item: Schema<T>): Schema<T[]> {
  return {
    expected: 'a sequence',
    parse(value) {
      if (!Array.isArray(value)) throw invalidType(value, 'a sequence');
      return value.map((v) => item.parse(v));
    },
  };
}

export function oneOfStrings<const V extends string>(values: readonly V[]): Schema<V> {
  return {
    expected: 'a string',
    parse(value) {
      if (typeof value !== 'string') throw invalidType(value, 'a string');
      if (!values.includes(value as V)) {
        throw new ParamsError(
          `unknown variant \`${value}\`, expected one of ${values.map((v) => `\`${v}\``).join(', ')}`,
        );
      }
      return value as V;
    },
  };
}

/** A string or a list of strings (e.g. `cwd` in thread/list). */
export function stringOrStrings(): Schema<string | string[]> {
  return {
    expected: 'a string or a sequence of strings',
    parse(value) {
      if (typeof value === 'string') return value;
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
      throw new ParamsError(`data did not match any variant of untagged enum ${'ThreadListCwdFilter'}`);
    },
  };
}

interface Field<T> {
  readonly schema: Schema<T>;
  readonly optional: boolean;
}

/** `Option<T>`: absent or null → undefined. */
export function optional<T>(schema: Schema<T>): Field<T | undefined> {
  return { schema: schema as Schema<T | undefined>, optional: true };
}

type FieldSpec = Schema<unknown> | Field<unknown>;
type Out<F> = F extends Field<infer T> ? T : F extends Schema<infer T> ? T : never;
type ObjectOut<S extends Record<string, FieldSpec>> = { [K in keyof S]: Out<S[K]> };

function isField(spec: FieldSpec): spec is Field<unknown> {
  return 'optional' in spec;
}

export function object<S extends Record<string, FieldSpec>>(name: string, fields: S): Schema<ObjectOut<S>> {
  const expected = `struct ${name}`;
  const entries = Object.entries(fields);
  return {
    expected,
    parse(value) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw invalidType(value, expected);
      }
      const input = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, spec] of entries) {
        const v = input[key];
        if (isField(spec)) {
          if (v === undefined || v === null) continue;
          out[key] = spec.schema.parse(v);
        } else {
          if (v === undefined) throw new ParamsError(`missing field \`${key}\``);
          out[key] = spec.parse(v);
        }
      }
      return out as ObjectOut<S>;
    },
  };
}

/** An internally tagged enum (`{type: "…", …}`). */
export function tagged<V extends Record<string, Schema<unknown>>>(
  name: string,
  tag: string,
  variants: V,
): Schema<{ [K in keyof V]: { [T in typeof tag]: K } & Out<V[K]> }[keyof V]> {
  const expected = `internally tagged enum ${name}`;
  const names = Object.keys(variants);
  return {
    expected,
    parse(value) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw invalidType(value, expected);
      }
      const t = (value as Record<string, unknown>)[tag];
      if (t === undefined) throw new ParamsError(`missing field \`${tag}\``);
      if (typeof t !== 'string' || !names.includes(t)) {
        if (typeof t !== 'string') throw invalidType(t, 'variant identifier');
        throw new ParamsError(
          `unknown variant \`${t}\`, expected one of ${names.map((v) => `\`${v}\``).join(', ')}`,
        );
      }
      const parsed = variants[t]!.parse(value) as Record<string, unknown>;
      // biome-ignore lint/suspicious/noExplicitAny: the union type is computed above
      return { ...parsed, [tag]: t } as any;
    },
  };
}

/**
 * Params of a method whose type is an object: required (absent or null is `missing field \`params\``).
 * Methods with null-typed params pass `undefined` as the schema and accept absent, null or an object.
 */
export function parseParams<T>(schema: Schema<T> | undefined, params: unknown): T | undefined {
  if (schema === undefined) return undefined;
  if (params === undefined || params === null) throw new ParamsError('missing field `params`');
  return schema.parse(params);
}
