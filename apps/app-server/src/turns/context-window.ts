import type { ModelInfo } from '@codex-ts/model-provider';

/** Upstream's share of a model's context window a turn may fill when the model's metadata names none. */
export const DEFAULT_EFFECTIVE_CONTEXT_WINDOW_PERCENT = 95;

/** The context window upstream assumes for a model its list does not know (its fallback model metadata). */
export const FALLBACK_CONTEXT_WINDOW = 272_000;

/**
 * The list's entry for `slug`, found as upstream finds it: the entry whose slug is the longest prefix of `slug`
 * (`gpt-5-codex-latest` is `gpt-5-codex`'s), else the same for `slug` without one leading namespace (`openai/gpt-5`).
 */
function findModel(models: readonly ModelInfo[], slug: string): ModelInfo | undefined {
  const longestPrefix = (name: string) => {
    let best: ModelInfo | undefined;
    for (const m of models) {
      if (name.startsWith(m.slug) && (!best || m.slug.length > best.slug.length)) best = m;
    }
    return best;
  };
  const found = longestPrefix(slug);
  if (found) return found;
  const slash = slug.indexOf('/');
  const namespace = slug.slice(0, slash);
  const rest = slug.slice(slash + 1);
  if (slash <= 0 || rest.includes('/') || !/^[A-Za-z0-9_-]+$/.test(namespace)) return undefined;
  return longestPrefix(rest);
}

/**
 * `thread/tokenUsage/updated`'s `modelContextWindow`: the usable part of the model's context window, from the models
 * list's `context_window` and `effective_context_window_percent` (95 when absent), as upstream computes it. A model
 * the list does not know gets upstream's fallback window (272,000, so 258,400); null when its entry names none.
 */
export function modelContextWindow(models: readonly ModelInfo[], slug: string): number | null {
  const model = findModel(models, slug);
  const window = model ? model.context_window : FALLBACK_CONTEXT_WINDOW;
  if (typeof window !== 'number') return null;
  const percent = (model as { effective_context_window_percent?: unknown } | undefined)
    ?.effective_context_window_percent;
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
