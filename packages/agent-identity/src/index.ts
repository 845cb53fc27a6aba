export * from './assertion.js';
export { type CliIo, main as runAgentIdentityCli } from './cli-main.js';
export * from './client.js';
export * from './errors.js';
export * from './ids.js';
export * from './keys.js';
export * from './sealed.js';
export * from './signer.js';
export * from './urls.js';
