/** The cloud-tasks (wham) feature's in-memory store: tasks by id (lost on restart). */
export interface CloudTask {
  id: string;
  userId: string;
  title: string;
  environmentId: string;
  branch: string | null;
  prompt: string;
  turnId: string;
  siblingTurnIds: string[];
  assistantText: string;
  diff: string;
  createdAt: number;
  updatedAt: number;
}

export interface CloudTaskStore {
  readonly cloudTasks: Map<string, CloudTask>;
}

export function createCloudTaskStore(): CloudTaskStore {
  return { cloudTasks: new Map() };
}
