import { z } from 'zod';

/** `GET wham/config/requirements` (`ConfigFileResponse`). */
export const configRequirementsSchema = z.looseObject({
  contents: z.string().nullish(),
  sha256: z.string().nullish(),
  updated_at: z.string().nullish(),
  updated_by_user_id: z.string().nullish(),
});

/** One row of `GET wham/environments` or `…/environments/by-repo/github/{owner}/{repo}`. */
export const environmentSchema = z.looseObject({
  id: z.string().min(1),
  label: z.string().nullish(),
  is_pinned: z.boolean().nullish(),
  task_count: z.number().nullish(),
});

export const environmentListSchema = z.array(environmentSchema);

export type ConfigRequirements = z.output<typeof configRequirementsSchema>;
export type Environment = z.output<typeof environmentSchema>;
