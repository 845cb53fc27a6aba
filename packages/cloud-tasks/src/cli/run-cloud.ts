import { isAuthUnavailableError } from '@codex-ts/auth-provider';
import { isBackendError } from '@codex-ts/backend-client';
import type { CloudBackend } from '../cloud-backend.js';
import { detectEnvironment, listAllEnvironments } from '../env-detect.js';
import { CloudTaskError, isCloudTaskError } from '../errors.js';
import type { CloudEnvironment } from '../types.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { formatEnvironments, formatOutcome, formatTask, formatTaskList } from './format.js';
import { CLOUD_USAGE, intOption, parseCommand, UsageError } from './usage.js';

export interface CloudCliContext {
  /** The backend, made only when a command needs it (so `--help` needs no login). */
  readonly backend: () => CloudBackend | Promise<CloudBackend>;
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
  /** The directory `apply` and environment detection work in (default `process.cwd()`). */
  readonly cwd?: string | undefined;
  /** For `CODEX_STARTING_DIFF` (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** How the command is called in messages (default `codex-ts cloud`). */
  readonly programName?: string | undefined;
}

interface Run {
  readonly ctx: CloudCliContext;
  readonly json: boolean;
  readonly cwd: string;
}

function progress(run: Run, what: string): void {
  run.ctx.stderr.write(`${what}…\n`);
}

function print(run: Run, value: unknown, human: string): void {
  run.ctx.stdout.write(run.json ? `${JSON.stringify(value, null, 2)}\n` : human);
}

async function resolveEnvironment(
  backend: CloudBackend,
  run: Run,
  wanted: string | undefined,
): Promise<CloudEnvironment> {
  if (wanted === undefined) return detectEnvironment(backend, { cwd: run.cwd });
  const rows = await listAllEnvironments(backend, { cwd: run.cwd });
  const match =
    rows.find((row) => row.id === wanted) ??
    rows.find((row) => row.label?.toLowerCase() === wanted.toLowerCase());
  if (match) return match;
  throw new CloudTaskError('no_environment', `no environment has the id or label '${wanted}' (see 'envs')`);
}

async function dispatch(command: string, args: readonly string[], ctx: CloudCliContext): Promise<ExitCode> {
  const cwd = ctx.cwd ?? process.cwd();
  switch (command) {
    case 'list': {
      const { values } = parseCommand(
        args,
        { env: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } },
        [],
      );
      const run = { ctx, json: values.json === true, cwd };
      const limit = intOption('limit', values.limit as string | undefined, 1, 100);
      const backend = await ctx.backend();
      progress(run, 'Fetching tasks');
      const page = await backend.listTasks({
        environmentId: values.env as string | undefined,
        limit,
        cursor: values.cursor as string | undefined,
      });
      print(run, { tasks: page.tasks, cursor: page.cursor ?? null }, formatTaskList(page.tasks, page.cursor));
      return EXIT.ok;
    }
    case 'show': {
      const { values, positionals } = parseCommand(args, {}, ['id']);
      const run = { ctx, json: values.json === true, cwd };
      const backend = await ctx.backend();
      progress(run, `Fetching ${positionals[0]}`);
      const [summary, text] = await Promise.all([
        backend.getTaskSummary(positionals[0]!),
        backend.getTaskText(positionals[0]!),
      ]);
      print(run, { task: summary, text }, formatTask(summary, text));
      return EXIT.ok;
    }
    case 'diff': {
      const { values, positionals } = parseCommand(args, {}, ['id']);
      const run = { ctx, json: values.json === true, cwd };
      const backend = await ctx.backend();
      progress(run, `Fetching the diff of ${positionals[0]}`);
      const diff = await backend.getTaskDiff(positionals[0]!);
      print(run, { id: positionals[0], diff: diff ?? null }, diff ?? '');
      if (diff === undefined && !run.json) ctx.stderr.write(`${positionals[0]} has no diff\n`);
      return EXIT.ok;
    }
    case 'apply': {
      const { values, positionals } = parseCommand(args, { preflight: { type: 'boolean' } }, ['id']);
      const run = { ctx, json: values.json === true, cwd };
      const backend = await ctx.backend();
      const preflight = values.preflight === true;
      progress(run, `${preflight ? 'Checking' : 'Applying'} the diff of ${positionals[0]}`);
      const outcome = preflight
        ? await backend.applyTaskPreflight(positionals[0]!, { cwd })
        : await backend.applyTask(positionals[0]!, { cwd });
      print(run, outcome, formatOutcome(outcome));
      return outcome.status === 'success' ? EXIT.ok : EXIT.notClean;
    }
    case 'exec': {
      const { values, positionals } = parseCommand(
        args,
        { env: { type: 'string' }, attempts: { type: 'string' }, branch: { type: 'string' } },
        ['prompt'],
      );
      const run = { ctx, json: values.json === true, cwd };
      const attempts = intOption('attempts', values.attempts as string | undefined, 1, 4);
      const prompt = positionals[0]!;
      if (prompt.trim() === '') throw new UsageError('the prompt is empty');
      const backend = await ctx.backend();
      progress(run, 'Resolving the environment');
      const environment = await resolveEnvironment(backend, run, values.env as string | undefined);
      progress(run, `Creating a task in ${environment.label ?? environment.id}`);
      const created = await backend.createTask({
        environmentId: environment.id,
        prompt,
        gitRef: values.branch as string | undefined,
        bestOfN: attempts,
        startingDiff: (ctx.env ?? process.env).CODEX_STARTING_DIFF,
      });
      print(run, { id: created.id, environment }, `${created.id}\n`);
      return EXIT.ok;
    }
    case 'envs': {
      const { values } = parseCommand(args, {}, []);
      const run = { ctx, json: values.json === true, cwd };
      const backend = await ctx.backend();
      progress(run, 'Fetching environments');
      const rows = await listAllEnvironments(backend, { cwd });
      print(run, { environments: rows }, formatEnvironments(rows));
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

function failure(error: unknown): { code: ExitCode; kind: string; message: string } {
  if (isAuthUnavailableError(error)) return { code: EXIT.auth, kind: error.reason, message: error.message };
  if (isBackendError(error)) {
    if (error.isUnauthorized) return { code: EXIT.auth, kind: 'unauthorized', message: error.message };
    return { code: EXIT.failure, kind: error.code, message: error.message };
  }
  if (isCloudTaskError(error)) return { code: EXIT.failure, kind: error.code, message: error.message };
  return {
    code: EXIT.failure,
    kind: 'error',
    message: error instanceof Error ? error.message : String(error),
  };
}

/** Runs `cloud <command> …`; resolves with the exit code (see `EXIT`). Never throws. */
export async function runCloudCli(argv: readonly string[], ctx: CloudCliContext): Promise<ExitCode> {
  const program = ctx.programName ?? 'codex-ts cloud';
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? ctx.stderr : ctx.stdout).write(CLOUD_USAGE.replace('codex-ts cloud', program));
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (args.includes('--help') || args.includes('-h')) {
    ctx.stdout.write(CLOUD_USAGE.replace('codex-ts cloud', program));
    return EXIT.ok;
  }
  const json = args.includes('--json');
  try {
    return await dispatch(command, args, ctx);
  } catch (error) {
    if (error instanceof UsageError) {
      ctx.stderr.write(`${program}: ${error.message}\nTry '${program} --help'.\n`);
      return EXIT.usage;
    }
    const { code, kind, message } = failure(error);
    if (json) ctx.stdout.write(`${JSON.stringify({ error: { code: kind, message } }, null, 2)}\n`);
    ctx.stderr.write(`${program}: ${message}\n`);
    if (code === EXIT.auth) ctx.stderr.write(`Log in first (see 'codex-ts login --help').\n`);
    return code;
  }
}
