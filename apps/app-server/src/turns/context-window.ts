import type { ModelInfo } from '@codex-ts/model-provider';

/** Upstream's share of a model's context window a turn may fill when the model's metadata names none. */
export const DEFAULT_EFFECTIVE_CONTEXT_WINDOW_PERCENT = 95;

/**
 * `thread/tokenUsage/updated`'s `modelContextWindow`: the usable part of the model's context window, from the models
 * list's `context_window` and `effective_context_window_percent` (95 when absent), as upstream computes it. Null when
 * the list does not have the model or its window.
 */
export function modelContextWindow(models: readonly ModelInfo[], slug: string): number | null {
  const model = models.find((m) => m.slug === slug);
  const window = model?.context_window;
  if (typeof window !== 'number') return null;
  const percent = (model as { effective_context_window_percent?: unknown }).effective_context_window_percent;
  const share =
    typeof percent === 'number' && Number.isFinite(percent) && percent > 0
      ? percent
      : DEFAULT_EFFECTIVE_CONTEXT_WINDOW_PERCENT;
  return Math.floor((window * share) / 100);
}

/** A model's context window looked up once per model session: the value once known (no wait), the lookup until. */
export class ContextWindowLookup {
  #value: number | null | undefined;
  readonly #pending: Promise<number | null>;

  constructor(lookup: Promise<number | null>) {
    this.#pending = lookup.then(
      (v) => {
        this.#value = v;
        return v;
      },
      () => {
        this.#value = null;
        return null;
      },
    );
  }

  get(): number | null | Promise<number | null> {
    return this.#value !== undefined ? this.#value : this.#pending;
  }
}
