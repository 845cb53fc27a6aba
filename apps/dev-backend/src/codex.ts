import { createHash } from 'node:crypto';
import { z } from 'zod';
import { readJson, sendJson } from './http.js';
import type { Ctx, Router } from './router.js';
import { parseBody } from './validation.js';

const REASONING_LEVELS = [
  { effort: 'low', description: 'Fast responses with lighter reasoning' },
  { effort: 'medium', description: 'Balances speed and reasoning depth' },
  { effort: 'high', description: 'Greater reasoning depth for complex problems' },
];

/** The instructions every dev model carries (upstream requires `model_messages.instructions_template`). */
const MODEL_INSTRUCTIONS = 'You are the codex-ts dev backend echo model. You repeat the last user message.';

/** The priority tier upstream's catalog offers on its fast models. */
const FAST_TIER = {
  id: 'priority',
  name: 'Fast',
  description: 'Faster responses, more of the usage limit per turn',
};

interface ModelExtras {
  /** The model this one is being retired in favour of. */
  readonly upgradeTo?: string;
  readonly fast?: boolean;
  /** Takes image input (`input_modalities` has `image`): the echo model counts the images it gets. */
  readonly images?: boolean;
}

function model(
  slug: string,
  displayName: string,
  description: string,
  priority: number,
  extras: ModelExtras,
) {
  return {
    slug,
    display_name: displayName,
    description,
    default_reasoning_level: 'medium',
    supported_reasoning_levels: REASONING_LEVELS,
    shell_type: 'shell_command',
    visibility: 'list',
    supported_in_api: true,
    priority,
    upgrade: extras.upgradeTo
      ? {
          model: extras.upgradeTo,
          migration_markdown: `${displayName} is being retired: switch to ${extras.upgradeTo}.`,
        }
      : null,
    additional_speed_tiers: extras.fast ? ['fast'] : [],
    service_tiers: extras.fast ? [FAST_TIER] : [],
    default_service_tier: null,
    availability_nux: null,
    base_instructions: null,
    supports_reasoning_summaries: true,
    support_verbosity: false,
    default_verbosity: null,
    apply_patch_tool_type: 'freeform',
    truncation_policy: { mode: 'tokens', limit: 10_000 },
    supports_parallel_tool_calls: true,
    context_window: 272_000,
    experimental_supported_tools: [],
    input_modalities: extras.images ? ['text', 'image'] : ['text'],
    model_messages: { instructions_template: MODEL_INSTRUCTIONS },
  };
}

/** The models the dev backend serves; the responses endpoint answers for any slug with an echo. */
export const MODELS = [
  model('dev-echo', 'Dev echo', 'Deterministic echo model served by the codex-ts dev backend', 0, {
    fast: true,
    images: true,
  }),
  model('dev-echo-mini', 'Dev echo mini', 'The same echo, smaller name', 1, { upgradeTo: 'dev-echo' }),
];

const MODELS_ETAG = createHash('sha256').update(JSON.stringify(MODELS)).digest('hex').slice(0, 16);

/** GET /backend-api/codex/models?client_version=… → {models} (with an ETag, as upstream) */
function models(ctx: Ctx): void {
  sendJson(ctx.res, 200, { models: MODELS }, { etag: `"${MODELS_ETAG}"`, 'x-models-etag': MODELS_ETAG });
}

const MAX_KEPT_EVENTS = 1000;

const eventsSchema = z.object({
  events: z
    .array(z.looseObject({ event_type: z.string().min(1), event_params: z.unknown().optional() }))
    .max(1000),
});

/** POST /backend-api/codex/analytics-events/events {events: [{event_type, event_params}]} */
async function analyticsEvents(ctx: Ctx): Promise<void> {
  const body = parseBody(eventsSchema, await readJson(ctx.req, ctx.app.options.maxBodyBytes));
  const kept = ctx.app.memory.analyticsEvents;
  kept.push(...body.events);
  if (kept.length > MAX_KEPT_EVENTS) kept.splice(0, kept.length - MAX_KEPT_EVENTS);
  sendJson(ctx.res, 202, { accepted: body.events.length });
}

export function codexRoutes(router: Router): void {
  router
    .add('GET', '/backend-api/codex/models', 'protected', models)
    .add('POST', '/backend-api/codex/analytics-events/events', 'protected', analyticsEvents);
}
