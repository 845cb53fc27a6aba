const MARKER = Symbol.for('@codex-ts/cloud-tasks.error');

/**
 * - `not_found`: no such task (in-memory backend) or turn;
 * - `no_environment`: environment detection or `--env` matched nothing;
 * - `not_a_git_repository`: apply was asked outside a git working tree;
 * - `git_failed`: git itself could not run.
 */
export type CloudTaskErrorCode = 'not_found' | 'no_environment' | 'not_a_git_repository' | 'git_failed';

/** A cloud-task failure that is not the backend's (those are `BackendError`s from backend-client). */
export class CloudTaskError extends Error {
  readonly [MARKER] = true;
  readonly code: CloudTaskErrorCode;

  constructor(code: CloudTaskErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CloudTaskError';
    this.code = code;
  }
}

/** True for a `CloudTaskError` from any installed copy of this package. */
export function isCloudTaskError(error: unknown): error is CloudTaskError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
}
