import { parseArgs } from 'node:util';

export const CLOUD_USAGE = `usage: codex-ts cloud <command> [--json]

commands:
  list [--env <id>] [--limit <n>] [--cursor <c>]     current tasks, newest first
  show <id>                                          status, diff stats, prompt and messages
  diff <id>                                          the task's unified diff
  apply <id> [--preflight]                           apply the diff to this git working tree
                                                     (--preflight: check only, never changes a file)
  exec [--env <id|label>] "<prompt>" [--attempts N] [--branch <ref>]
                                                     create a task (environment detected from git remotes)
  envs                                               environments for this repository

--json prints one JSON document on stdout. Exit codes: 0 ok, 1 failure, 2 usage,
3 apply not clean (partial or conflicts), 4 not logged in or credentials refused.
`;

/** A wrong command line: printed as one line and a hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Spec = Record<string, { type: 'boolean' | 'string' }>;

/** The command's options and positionals (strict: an unknown option is a usage error). */
export function parseCommand<T extends Spec>(
  args: readonly string[],
  spec: T,
  positionals: readonly string[],
) {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...spec, json: { type: 'boolean' as const } },
      strict: true,
      allowPositionals: true,
    }) as typeof parsed;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length < positionals.length) {
    throw new UsageError(
      `missing ${positionals
        .slice(parsed.positionals.length)
        .map((p) => `<${p}>`)
        .join(' ')}`,
    );
  }
  if (parsed.positionals.length > positionals.length) {
    throw new UsageError(`unexpected argument '${parsed.positionals[positionals.length]}'`);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/** A positive integer option, or a usage error naming it. */
export function intOption(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${value}'`);
  }
  return n;
}
