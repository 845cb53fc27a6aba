export { MODELS } from './codex.js';
export { FAILING_MODEL, INCOMPLETE_MODEL } from './responses.js';
export { SLOW_MODEL, SLOW_MODEL_EVENT_GAP_MS, TOOL_CALL_MODEL } from './responses-scripted-models.js';
