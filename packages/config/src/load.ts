import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { z } from 'zod';
import { ConfigError } from './errors.js';
import { type CodexConfig, codexConfigSchema } from './schema.js';

/** `$CODEX_HOME/config.toml`. */
export function configTomlPath(codexHome: string): string {
  return join(codexHome, 'config.toml');
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'a table';
  if (typeof value === 'bigint') return 'a number';
  return `a ${typeof value}`;
}

function valueAt(doc: unknown, path: readonly PropertyKey[]): unknown {
  let value = doc;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
  return value;
}

function errorFromIssue(path: string, doc: unknown, issue: z.core.$ZodIssue): ConfigError {
  const key = issue.path.map(String).join('.');
  const params = (issue as { params?: { whole?: boolean; noFound?: boolean } }).params;
  if (params?.whole) return new ConfigError(path, issue.message, { key });
  const expected = issue.message;
  const found = params?.noFound ? '' : `, found ${kindOf(valueAt(doc, issue.path))}`;
  return new ConfigError(path, `\`${key}\` must be ${expected}${found}`, { key, expected });
}

/** Validates a parsed TOML document (or any object of the same shape). `path` names the file in errors. */
export function codexConfigFrom(doc: unknown, path: string): CodexConfig {
  const result = codexConfigSchema.safeParse(doc);
  if (!result.success) throw errorFromIssue(path, doc, result.error.issues[0]!);
  return result.data;
}

/**
 * Parses config.toml text. A syntax error becomes a ConfigError with the line and column and the parser's first
 * message line: never the surrounding source (it can hold tokens), and no `cause` that carries it.
 */
export function parseCodexConfig(text: string, path: string): CodexConfig {
  let doc: unknown;
  try {
    doc = parseToml(text);
  } catch (err) {
    if (err instanceof TomlError) {
      const summary = err.message.split('\n')[0]!.replace(/\s+at line \d+.*$/u, '');
      throw new ConfigError(path, `invalid TOML at line ${err.line}, column ${err.column}: ${summary}`, {
        position: { line: err.line, column: err.column },
      });
    }
    throw new ConfigError(path, 'invalid TOML');
  }
  return codexConfigFrom(doc, path);
}

/** Reads `$CODEX_HOME/config.toml`. A missing file gives the defaults; anything else wrong throws ConfigError. */
export async function loadCodexConfig(codexHome: string): Promise<CodexConfig> {
  const path = configTomlPath(codexHome);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return codexConfigFrom({}, path);
    throw new ConfigError(path, `cannot read config: ${code ?? 'error'}`);
  }
  return parseCodexConfig(text, path);
}
