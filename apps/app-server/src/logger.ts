import { inspect } from 'node:util';

/** pino-compatible subset (login takes the same shape). */
export interface AppLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export type LogFormat = 'human' | 'json';
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const LEVELS: Record<LogLevel, number> = { error: 50, warn: 40, info: 30, debug: 20 };

/** Keys whose values never reach a log line, whatever calls the logger. */
const SECRET_KEY =
  /^(authorization|access_?token|refresh_?token|id_?token|api_?key|openai_api_key|agent_private_key|private_?key|biscuit|assertion|token|password|secret|code_?verifier)$/i;

function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

function formatHuman(level: LogLevel, fields: Record<string, unknown>, msg: string): string {
  const extras = Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : inspect(v, { breakLength: Infinity, depth: 4 })}`)
    .join(' ');
  return `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${msg}${extras ? ` ${extras}` : ''}\n`;
}

/** Logs to stderr: human lines by default, JSON lines with `LOG_FORMAT=json`. Secret-named keys are redacted. */
export function createLogger(options: {
  format?: LogFormat;
  level?: LogLevel;
  write?: (line: string) => void;
}): AppLogger {
  const format = options.format ?? 'human';
  const min = LEVELS[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const log = (level: LogLevel) => (obj: object, msg?: string) => {
    if (LEVELS[level] < min) return;
    const fields = redact(obj) as Record<string, unknown>;
    const message = msg ?? '';
    if (format === 'json') {
      write(
        `${JSON.stringify({ level, time: Date.now(), name: 'codex-ts-app-server', msg: message, ...fields })}\n`,
      );
    } else write(formatHuman(level, fields, message));
  };
  return { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };
}

export function logOptionsFromEnv(env: NodeJS.ProcessEnv): { format: LogFormat; level: LogLevel } {
  const format: LogFormat = env.LOG_FORMAT?.trim().toLowerCase() === 'json' ? 'json' : 'human';
  const raw = env.CODEX_TS_LOG?.trim().toLowerCase();
  const level: LogLevel =
    raw === 'error' || raw === 'warn' || raw === 'debug' || raw === 'info' ? raw : 'info';
  return { format, level };
}
