/**
 * Typed errors. Every error carries a string `code` a caller can switch on; no error message or property ever
 * carries a private key, an access token, a biscuit or a signature.
 */

import type { AgentAssertionFailureReason } from './authorization-error.js';

export class AgentIdentityError<Code extends string = string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export type AgentKeyErrorCode =
  | 'invalid_base64'
  | 'invalid_der'
  | 'invalid_length'
  | 'unsupported_algorithm'
  | 'public_key_mismatch'
  | 'invalid_seed'
  | 'invalid_public_key';

/** A private or public key could not be parsed or does not hold together. */
export class AgentKeyError extends AgentIdentityError<AgentKeyErrorCode> {}

/** An `AgentAssertion` header was rejected; `code` equals `reason`. */
export class AgentAssertionError extends AgentIdentityError<AgentAssertionFailureReason> {
  readonly reason: AgentAssertionFailureReason;

  constructor(reason: AgentAssertionFailureReason, message: string, options?: ErrorOptions) {
    super(reason, message, options);
    this.reason = reason;
  }
}

/** An assertion was requested for a task that belongs to another agent runtime than the signer's. */
export class AgentRuntimeMismatchError extends AgentIdentityError<'runtime_mismatch'> {
  readonly targetRuntimeId: string;
  readonly keyRuntimeId: string;

  constructor(targetRuntimeId: string, keyRuntimeId: string) {
    super(
      'runtime_mismatch',
      `agent task runtime ${targetRuntimeId} does not match stored agent identity ${keyRuntimeId}`,
    );
    this.targetRuntimeId = targetRuntimeId;
    this.keyRuntimeId = keyRuntimeId;
  }
}

export type AgentTaskIdErrorCode = 'invalid_base64' | 'decrypt_failed' | 'invalid_utf8' | 'missing_task_id';

/** A task id from a registration response could not be read (see the sealed-box rules). */
export class AgentTaskIdError extends AgentIdentityError<AgentTaskIdErrorCode> {}

export type RegistrationOperation = 'biscuit' | 'identity' | 'task';
export type RegistrationErrorCode = 'http_status' | 'timeout' | 'network' | 'invalid_response' | 'aborted';

export interface RegistrationErrorInit {
  code: RegistrationErrorCode;
  operation: RegistrationOperation;
  message: string;
  url: string;
  retryable: boolean;
  status?: number;
  body?: string;
  serverDate?: string;
  authorizationError?: string;
  cause?: unknown;
}

/** A registration HTTP call failed. `body` is at most 512 characters of the response body. */
export class RegistrationError extends AgentIdentityError<RegistrationErrorCode> {
  readonly operation: RegistrationOperation;
  readonly status?: number;
  readonly body?: string;
  readonly url: string;
  /** 5xx, 429, timeout and network failures. */
  readonly retryable: boolean;
  /** The response's `Date` header, when there was a response (lets a client correct its clock offset). */
  readonly serverDate?: string;
  /** The response's `x-openai-authorization-error` header: the server's machine-readable reason for a 401. */
  readonly authorizationError?: string;

  constructor(init: RegistrationErrorInit) {
    super(init.code, init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.operation = init.operation;
    this.url = init.url;
    this.retryable = init.retryable;
    if (init.status !== undefined) this.status = init.status;
    if (init.body !== undefined) this.body = init.body;
    if (init.serverDate !== undefined) this.serverDate = init.serverDate;
    if (init.authorizationError !== undefined) this.authorizationError = init.authorizationError;
  }
}
