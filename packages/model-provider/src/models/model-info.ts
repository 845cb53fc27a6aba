import { z } from 'zod';

const reasoningLevel = z.looseObject({ effort: z.string(), description: z.string().optional() });

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
});

export type ModelInfo = z.infer<typeof modelInfoSchema>;

export const modelsResponseSchema = z.looseObject({ models: z.array(modelInfoSchema) });
