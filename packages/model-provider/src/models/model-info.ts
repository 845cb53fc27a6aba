import { z } from 'zod';

const reasoningLevel = z.looseObject({ effort: z.string(), description: z.string().optional() });

/** A service tier the model can run with (`priority` is the fast one). */
const serviceTier = z.looseObject({ id: z.string(), name: z.string(), description: z.string() });

/** The model this one is being retired in favour of. */
const modelUpgrade = z.looseObject({
  model: z.string().min(1),
  migration_markdown: z.string().nullish(),
  upgrade_copy: z.string().nullish(),
  model_link: z.string().nullish(),
  /** Unix seconds. */
  retirement_at: z.number().int().nullish(),
});

/**
 * One model of `GET …/models`. Lenient: unknown fields are kept as they came (the list grows upstream);
 * strict where a client relies on a field: `slug`, `display_name`, `priority` and `visibility` are required and
 * typed, and a known optional field with the wrong type fails the whole list.
 */
export const modelInfoSchema = z.looseObject({
  slug: z.string().min(1),
  display_name: z.string(),
  description: z.string().nullable().optional(),
  priority: z.number().int(),
  visibility: z.string(),
  supported_in_api: z.boolean().optional(),
  default_reasoning_level: z.string().nullable().optional(),
  supported_reasoning_levels: z.array(reasoningLevel).optional(),
  context_window: z.number().int().positive().nullable().optional(),
  input_modalities: z.array(z.string()).optional(),
  supports_parallel_tool_calls: z.boolean().optional(),
  upgrade: modelUpgrade.nullish(),
  /** Deprecated upstream in favour of `service_tiers`. */
  additional_speed_tiers: z.array(z.string()).optional(),
  service_tiers: z.array(serviceTier).optional(),
  default_service_tier: z.string().nullish(),
  /** A notice to show when the model becomes available to the user. */
  availability_nux: z.looseObject({ message: z.string() }).nullish(),
  /** Caller-specific access programs (`{cyber: [...]}`); absent when the catalog says nothing. */
  available_access_programs: z.looseObject({ cyber: z.array(z.string()) }).nullish(),
  model_specialty: z.string().nullish(),
  multi_agent_version: z.enum(['disabled', 'v1', 'v2']).nullish(),
});

export type ModelInfo = z.infer<typeof modelInfoSchema>;

export const modelsResponseSchema = z.looseObject({ models: z.array(modelInfoSchema) });
