import type { Logger } from './logger.js';

export type Verbosity = 'quiet' | 'normal' | 'verbose';

/** Field names whose values are never printed (the logger's callers never pass secrets; this is a second net). */
const SECRET_KEYS = /authorization|token|key|secret|assertion|biscuit|password/i;

function fieldText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A logger for people at a terminal: one line per event on stderr, `warning: <what> (<where>: <why>)`.
 * `where` is the URL or file the event is about (the event's `url`/`store` field, else `where()`: the CLI's
 * ChatGPT base URL); `why` is the event's `reason`/`error`. `quiet` drops warnings; `verbose` adds info and debug.
 */
export function humanLogger(
  write: (line: string) => void,
  verbosity: Verbosity,
  where: () => string | undefined,
): Logger {
  const line = (level: string, obj: object, msg?: string) => {
    const fields = obj as Record<string, unknown>;
    const place = fields.url ?? fields.store ?? where();
    const why = fields.reason ?? fields.error;
    const detail = [place, why].filter((v) => v !== undefined).map(fieldText);
    let text = `${level}: ${msg ?? 'event'}${detail.length ? ` (${detail.join(': ')})` : ''}`;
    if (verbosity === 'verbose') {
      const rest = Object.entries(fields).filter(
        ([k]) => !['url', 'store', 'reason', 'error'].includes(k) && !SECRET_KEYS.test(k),
      );
      if (rest.length) text += ` ${rest.map(([k, v]) => `${k}=${fieldText(v)}`).join(' ')}`;
    }
    write(`${text.replace(/[\r\n]+/g, ' ')}\n`);
  };
  return {
    warn: (obj, msg) => {
      if (verbosity !== 'quiet') line('warning', obj, msg);
    },
    info: (obj, msg) => {
      if (verbosity === 'verbose') line('info', obj, msg);
    },
    debug: (obj, msg) => {
      if (verbosity === 'verbose') line('debug', obj, msg);
    },
  };
}
