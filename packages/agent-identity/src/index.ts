export * from './abom.js';
export * from './assertion.js';
export * from './authorization-error.js';
export * from './biscuit.js';
export { type CliIo, main as runAgentIdentityCli } from './cli-main.js';
export * from './errors.js';
export * from './identity-registration.js';
export * from './ids.js';
export { parseJsonRejectingDuplicateKeys, type StrictJsonResult } from './json-object.js';
export * from './keys.js';
export * from './sealed.js';
export * from './signer.js';
export * from './task-registration.js';
export {
  BISCUIT_TIMEOUT_MS,
  fetchWithDispatcher,
  type HttpOptions,
  IDENTITY_TIMEOUT_MS,
  type RegistrationFetch,
  type RegistrationFetchInit,
  type RegistrationFetchResponse,
  TASK_TIMEOUT_MS,
} from './transport.js';
export * from './urls.js';
