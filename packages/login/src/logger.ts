import { createRequire } from 'node:module';

// pino loads when a default logger is made, not with the package: an embedder that passes its own logger (the
// app-server does) never pays for it.
const load = createRequire(import.meta.url);

/** The part of a pino logger this package uses. Pass any pino-compatible logger (or a child). */
export interface Logger {
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** Paths pino redacts. Nothing here logs a secret on purpose; this is the safety net. */
export const REDACT_PATHS = [
  'authorization',
  'Authorization',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'headers.Authorization',
  'access_token',
  'refresh_token',
  'id_token',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  'accessToken',
  'refreshToken',
  'idToken',
  'apiKey',
  'OPENAI_API_KEY',
  '*.OPENAI_API_KEY',
  'agent_private_key',
  '*.agent_private_key',
  'privateKey',
  'biscuit',
  'assertion',
];

/** pino to stderr at 'warn', with redaction. */
export function defaultLogger(): Logger {
  const { pino, destination } = load('pino') as typeof import('pino');
  return pino(
    { name: 'codex-ts-login', level: 'warn', redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    destination(2),
  );
}
