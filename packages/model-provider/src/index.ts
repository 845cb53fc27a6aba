export { type BackoffOptions, backoffDelay, retryAfterMs } from './backoff.js';
export {
  BadRequestError,
  ContextWindowExceededError,
  InvalidProviderError,
  isModelProviderError,
  MissingEnvKeyError,
  ModelProviderError,
  type ModelProviderErrorCode,
  type ResponseDetails,
  ServerOverloadedError,
  StreamDisconnectedError,
  UnauthorizedError,
  UsageLimitReachedError,
} from './errors.js';
export type { ModelEvent, TokenUsage } from './events.js';
export {
  createModelSession,
  ModelSession,
  type ModelSessionOptions,
  type ModelsEtagObserver,
} from './model-session.js';
export { BUNDLED_MODELS } from './models/bundled-models.js';
export { type ModelInfo, modelInfoSchema } from './models/model-info.js';
export { MODELS_CACHE_FILE } from './models/models-cache.js';
export {
  createModelsManager,
  DEFAULT_MODELS_CACHE_TTL_MS,
  type ModelsList,
  ModelsManager,
  type ModelsManagerOptions,
  type RefreshStrategy,
} from './models/models-manager.js';
export {
  DEFAULT_CHATGPT_BASE_URL,
  DEFAULT_OPENAI_API_BASE_URL,
  OPENAI_PROVIDER_ID,
  type OpenAiProviderOptions,
  openAiProvider,
} from './openai-provider.js';
export { type ProviderAuthOptions, providerAuth } from './provider-auth.js';
export {
  type ModelProvidersConfig,
  modelProviderFromConfig,
  resolveModelProvider,
} from './provider-config.js';
export {
  DEFAULT_REQUEST_MAX_RETRIES,
  DEFAULT_STREAM_IDLE_TIMEOUT_MS,
  DEFAULT_STREAM_MAX_RETRIES,
  type ModelProviderInfo,
  type ModelProviderInfoInput,
  modelProviderInfoSchema,
  parseModelProviderInfo,
} from './provider-info.js';
export type { CreditsSnapshot, RateLimitSnapshot, RateLimitWindow } from './rate-limits.js';
export { parseRateLimits } from './rate-limits.js';
export type { ResponseMetadata } from './response-metadata.js';
export {
  type ClientIdentity,
  DEFAULT_ORIGINATOR,
  type ResponseItem,
  responsesBody,
  type TurnRequest,
  turnHeaders,
  WEBSOCKET_BETA_HEADER,
} from './turn-request.js';
