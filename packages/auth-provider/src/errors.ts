/** A provider cannot authorize the request at all (no credential it may send). */
export class AuthUnavailableError extends Error {
  readonly code = 'auth_unavailable';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AuthUnavailableError';
  }
}
