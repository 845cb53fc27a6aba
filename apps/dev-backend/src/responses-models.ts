export { MODELS } from './codex.js';
export { FAILING_MODEL } from './responses.js';
