import type { ModelInfo } from '@codex-ts/model-provider';
import type { AppContext } from './app-context.js';
import { DEFAULT_MODEL } from './config.js';
import { internalError, invalidRequest } from './jsonrpc.js';
import { defineMethod, type MethodSpec } from './method.js';
import { bool, object, optional, str, u32 } from './params.js';

const MODALITIES = new Set(['text', 'image', 'audio']);

/** model-provider's `ModelInfo` as the wire `Model`. */
export function wireModel(m: ModelInfo, defaultSlug: string): Record<string, unknown> {
  const levels = m.supported_reasoning_levels ?? [];
  return {
    // Upstream's field order (its serializer writes a struct's fields as declared).
    id: m.slug,
    model: m.slug,
    upgrade: m.upgrade?.model ?? null,
    upgradeInfo: m.upgrade
      ? {
          model: m.upgrade.model,
          upgradeCopy: m.upgrade.upgrade_copy ?? null,
          modelLink: m.upgrade.model_link ?? null,
          migrationMarkdown: m.upgrade.migration_markdown ?? null,
          retirementAt: m.upgrade.retirement_at ?? null,
        }
      : null,
    availabilityNux: m.availability_nux ? { message: m.availability_nux.message } : null,
    displayName: m.display_name,
    description: m.description ?? '',
    modelSpecialty: m.model_specialty ?? null,
    hidden: m.visibility !== 'list',
    supportedReasoningEfforts: levels.map((l) => ({
      reasoningEffort: l.effort,
      description: l.description ?? '',
    })),
    defaultReasoningEffort: m.default_reasoning_level ?? 'medium',
    inputModalities: (m.input_modalities ?? ['text', 'image']).filter((x) => MODALITIES.has(x)),
    // Deprecated upstream: models no longer offer personalities, and upstream always sends false.
    supportsPersonality: false,
    multiAgentVersion: m.multi_agent_version ?? null,
    additionalSpeedTiers: m.additional_speed_tiers ?? [],
    serviceTiers: (m.service_tiers ?? []).map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
    })),
    defaultServiceTier: m.default_service_tier ?? null,
    availableAccessPrograms: m.available_access_programs
      ? { cyber: m.available_access_programs.cyber }
      : null,
    isDefault: m.slug === defaultSlug,
  };
}

const modelList = defineMethod<
  { cursor?: string | undefined; limit?: number | undefined; includeHidden?: boolean | undefined },
  AppContext
>({
  params: object('ModelListParams', {
    cursor: optional(str()),
    limit: optional(u32()),
    includeHidden: optional(bool()),
    modelProvider: optional(str()),
  }),
  async handle({ params, app }) {
    const start = params.cursor === undefined ? 0 : Number(params.cursor);
    if (!Number.isSafeInteger(start) || start < 0) throw invalidRequest(`invalid cursor: ${params.cursor}`);
    const models = await app.models.list().catch((err: unknown) => {
      throw internalError(`failed to list models: ${(err as Error).message}`);
    });
    const sorted = [...models].sort((a, b) => a.priority - b.priority);
    const visible = params.includeHidden ? sorted : sorted.filter((m) => m.visibility === 'list');
    const defaultSlug = app.config.model ?? visible[0]?.slug ?? DEFAULT_MODEL;
    const limit = Math.max(1, params.limit ?? (visible.length || 1));
    const page = visible.slice(start, start + limit).map((m) => wireModel(m, defaultSlug));
    return { data: page, nextCursor: start + limit < visible.length ? String(start + limit) : null };
  },
});

export const modelMethods: ReadonlyArray<[string, MethodSpec<unknown, AppContext>]> = [
  ['model/list', modelList],
];
