export type { CallOptions, CloudBackend, ListTasksOptions } from './cloud-backend.js';
export { createTaskBody } from './create-task-body.js';
export {
  detectEnvironment,
  type GithubRepo,
  githubRepos,
  gitRemoteUrls,
  listAllEnvironments,
  parseGithubRemote,
  pickEnvironment,
} from './env-detect.js';
export { CloudTaskError, type CloudTaskErrorCode, isCloudTaskError } from './errors.js';
export { applyUnifiedDiff, NOT_UNIFIED_MESSAGE } from './git-apply.js';
export { DEFAULT_TASK_PAGE_SIZE, HttpCloudBackend } from './http-backend.js';
export { InMemoryCloudBackend, type InMemoryCloudBackendOptions, type MemoryTask } from './memory-backend.js';
export type {
  ApplyOptions,
  ApplyOutcome,
  ApplyStatus,
  AttemptStatus,
  CloudEnvironment,
  CreatedTask,
  CreateTaskOptions,
  DiffSummary,
  TaskId,
  TaskListPage,
  TaskStatus,
  TaskSummary,
  TaskText,
  TurnAttempt,
} from './types.js';
export { diffSummary, type FilePatch, isUnifiedDiff, splitFilePatches } from './unified-diff.js';
