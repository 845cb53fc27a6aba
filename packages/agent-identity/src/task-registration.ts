import { z } from 'zod';
import { AgentTaskIdError } from './errors.js';
import { type AgentTaskKind, agentTaskExternalRef, agentTaskId, type RegisteredAgentTask } from './ids.js';
import { parseResponseBody } from './response-body.js';
import type { AgentSigner } from './signer.js';
import { type CallSpec, call, checkStatus, type HttpOptions, TASK_TIMEOUT_MS } from './transport.js';
import { agentTaskRegistrationUrl } from './urls.js';

const optionalId = z.string().optional();
const TaskResponse = z.object({
  task_id: optionalId,
  taskId: optionalId,
  encrypted_task_id: optionalId,
  encryptedTaskId: optionalId,
});

function firstNonEmpty(...values: Array<string | undefined>): string | undefined {
  return values.find((value) => value !== undefined && value.length > 0);
}

/**
 * `POST {authapi}/v1/agent/{runtime}/task/register` with `{timestamp, signature[, external_task_ref]}` and no
 * auth header: the signature is the authentication. A plaintext `task_id`/`taskId` is preferred over a sealed
 * `encrypted_task_id`/`encryptedTaskId`.
 */
export async function registerAgentTask(
  o: {
    authapiBaseUrl: string;
    signer: AgentSigner;
    kind: AgentTaskKind;
    externalTaskRef?: string;
    now?: Date;
  } & HttpOptions,
): Promise<RegisteredAgentTask> {
  const body = o.signer.taskRegistrationBody({
    ...(o.externalTaskRef === undefined ? {} : { externalTaskRef: o.externalTaskRef }),
    ...(o.now === undefined ? {} : { now: o.now }),
  });
  const spec: CallSpec = {
    operation: 'task',
    url: agentTaskRegistrationUrl(o.authapiBaseUrl, o.signer.agentRuntimeId),
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    defaultTimeoutMs: TASK_TIMEOUT_MS,
    secrets: [body.signature],
    http: o,
  };
  const result = await call(spec);
  checkStatus(spec, result);
  const response = parseResponseBody(spec, result, TaskResponse);
  const plain = firstNonEmpty(response.task_id, response.taskId);
  let taskId: RegisteredAgentTask['taskId'];
  if (plain !== undefined) {
    taskId = agentTaskId(plain);
  } else {
    const sealed = firstNonEmpty(response.encrypted_task_id, response.encryptedTaskId);
    if (sealed === undefined) {
      throw new AgentTaskIdError('missing_task_id', 'agent task registration response omitted task id');
    }
    taskId = await o.signer.openSealedTaskId(sealed);
  }
  const task: RegisteredAgentTask = {
    agentRuntimeId: o.signer.agentRuntimeId,
    taskId,
    kind: o.kind,
    registeredAt: body.timestamp,
  };
  if (o.externalTaskRef !== undefined) task.externalTaskRef = agentTaskExternalRef(o.externalTaskRef);
  return task;
}
