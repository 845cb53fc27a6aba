export { EXIT, type ExitCode } from './exit-codes.js';
export { type CloudCliContext, runCloudCli } from './run-cloud.js';
export { CLOUD_USAGE } from './usage.js';
