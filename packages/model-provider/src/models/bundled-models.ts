import type { ModelInfo } from './model-info.js';

const levels = [
  { effort: 'low', description: 'Fast responses with lighter reasoning' },
  { effort: 'medium', description: 'Balances speed and reasoning depth' },
  { effort: 'high', description: 'Greater reasoning depth for complex problems' },
];

function bundled(slug: string, displayName: string, description: string, priority: number): ModelInfo {
  return {
    slug,
    display_name: displayName,
    description,
    priority,
    visibility: 'list',
    supported_in_api: true,
    default_reasoning_level: 'medium',
    supported_reasoning_levels: levels,
    context_window: 272_000,
    input_modalities: ['text', 'image'],
    supports_parallel_tool_calls: true,
  };
}

/** The list used when neither the backend nor the cache can answer (the slugs upstream's CLI ships with). */
export const BUNDLED_MODELS: readonly ModelInfo[] = Object.freeze([
  bundled('gpt-5.1-codex', 'gpt-5.1-codex', 'Optimized for codex.', 0),
  bundled(
    'gpt-5.1-codex-mini',
    'gpt-5.1-codex-mini',
    'Optimized for codex. Cheaper, faster, but less capable.',
    1,
  ),
  bundled('gpt-5.1', 'gpt-5.1', 'Broad world knowledge with strong general reasoning.', 2),
]);
