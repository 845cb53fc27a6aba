import { z } from 'zod';

const contentPart = z.looseObject({ content_type: z.string().nullish(), text: z.string().nullish() });

/** One input or output item of a turn (`message`, `output_diff`, `pr`, …); fields per type are optional. */
export const turnItemSchema = z.looseObject({
  type: z.string(),
  role: z.string().nullish(),
  content: z.array(contentPart).nullish(),
  diff: z.string().nullish(),
  output_diff: z.looseObject({ diff: z.string().nullish() }).nullish(),
  pr: z.looseObject({ output_diff: z.looseObject({ diff: z.string().nullish() }).nullish() }).nullish(),
});

/** A turn of a task (user, assistant or diff turn, or a sibling attempt). */
export const turnSchema = z.looseObject({
  id: z.string(),
  attempt_placement: z.number().nullish(),
  turn_status: z.string().nullish(),
  sibling_turn_ids: z.array(z.string()).nullish(),
  input_items: z.array(turnItemSchema).nullish(),
  output_items: z.array(turnItemSchema).nullish(),
  error: z.looseObject({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});

const diffStats = z.looseObject({
  files_modified: z.number().nullish(),
  lines_added: z.number().nullish(),
  lines_removed: z.number().nullish(),
});

/** `task_status_display` of a list item or task details. */
export const taskStatusDisplaySchema = z.looseObject({
  latest_turn_status_display: z
    .looseObject({ turn_status: z.string().nullish(), diff_stats: diffStats.nullish() })
    .nullish(),
  environment_label: z.string().nullish(),
});

/** One row of `GET wham/tasks/list`. */
export const taskListItemSchema = z.looseObject({
  id: z.string(),
  title: z.string(),
  created_at: z.number().nullish(),
  updated_at: z.number().nullish(),
  task_status_display: taskStatusDisplaySchema.nullish(),
  archived: z.boolean().nullish(),
  has_unread_turn: z.boolean().nullish(),
});

/** `GET wham/tasks/list` (`PaginatedListTaskListItem`). */
export const taskListPageSchema = z.looseObject({
  items: z.array(taskListItemSchema),
  cursor: z.string().nullish(),
});

/** `GET wham/tasks/{id}` (`CodeTaskDetailsResponse`). */
export const taskDetailsSchema = z.looseObject({
  task: z.looseObject({
    id: z.string(),
    title: z.string().nullish(),
    created_at: z.number().nullish(),
    updated_at: z.number().nullish(),
    environment_id: z.string().nullish(),
    branch: z.string().nullish(),
  }),
  task_status_display: taskStatusDisplaySchema.nullish(),
  current_user_turn: turnSchema.nullish(),
  current_assistant_turn: turnSchema.nullish(),
  current_diff_task_turn: turnSchema.nullish(),
});

/** `GET wham/tasks/{id}/turns/{turn}/sibling_turns`. */
export const siblingTurnsSchema = z.looseObject({ sibling_turns: z.array(turnSchema) });

/** `POST wham/tasks`: the id is `task.id`, else the top-level `id`. */
export const createdTaskSchema = z
  .looseObject({
    task: z.looseObject({ id: z.string().min(1) }).nullish(),
    id: z.string().min(1).nullish(),
  })
  .refine((v) => Boolean(v.task?.id ?? v.id), { message: 'no task id (task.id or id)' });

export type TurnItem = z.output<typeof turnItemSchema>;
export type Turn = z.output<typeof turnSchema>;
export type TaskStatusDisplay = z.output<typeof taskStatusDisplaySchema>;
export type TaskListItem = z.output<typeof taskListItemSchema>;
export type TaskListPage = z.output<typeof taskListPageSchema>;
export type TaskDetails = z.output<typeof taskDetailsSchema>;
export type SiblingTurns = z.output<typeof siblingTurnsSchema>;
