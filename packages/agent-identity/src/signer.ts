import { inspect } from 'node:util';
import { encodeAgentAssertion } from './assertion.js';
import { AgentIdentityError, AgentRuntimeMismatchError } from './errors.js';
import { type AgentRuntimeId, type AgentTaskId, agentRuntimeId } from './ids.js';
import { AgentKey } from './keys.js';
import { openSealedTaskId } from './sealed.js';
import { createTimestampFormatter } from './timestamp.js';

export interface TaskRegistrationBody {
  timestamp: string;
  signature: string;
  external_task_ref?: string;
}

export type AgentSignerTask = string | { agentRuntimeId: string; taskId: string };

export interface AgentSigner {
  readonly agentRuntimeId: AgentRuntimeId;
  readonly publicKeySsh: string;
  readonly key: AgentKey;
  /** A fresh `AgentAssertion …` header value for the task (a task object must name this signer's runtime). */
  authorizationHeader(task: AgentSignerTask, now?: Date): string;
  /** `{timestamp, signature[, external_task_ref]}` for `POST …/v1/agent/{runtime}/task/register`. */
  taskRegistrationBody(options?: { externalTaskRef?: string; now?: Date }): TaskRegistrationBody;
  openSealedTaskId(encryptedTaskIdBase64: string): Promise<AgentTaskId>;
}

export type CreateAgentSignerOptions = { agentRuntimeId: string } & (
  | { privateKeyPkcs8Base64: string }
  | { key: AgentKey }
);

class Signer implements AgentSigner {
  readonly agentRuntimeId: AgentRuntimeId;
  readonly key: AgentKey;
  readonly #messagePrefix: string;
  readonly #timestamp = createTimestampFormatter();

  constructor(runtime: AgentRuntimeId, key: AgentKey) {
    this.agentRuntimeId = runtime;
    this.key = key;
    this.#messagePrefix = `${runtime}:`;
  }

  get publicKeySsh(): string {
    return this.key.publicKeySsh;
  }

  authorizationHeader(task: AgentSignerTask, now?: Date): string {
    let taskId: string;
    if (typeof task === 'string') {
      taskId = task;
    } else {
      if (task.agentRuntimeId !== this.agentRuntimeId) {
        throw new AgentRuntimeMismatchError(task.agentRuntimeId, this.agentRuntimeId);
      }
      taskId = task.taskId;
    }
    if (typeof taskId !== 'string' || taskId.length === 0) {
      throw new AgentIdentityError('invalid_id', 'agent task id must be a non-empty string');
    }
    const timestamp = this.#timestamp(now === undefined ? Date.now() : now.getTime());
    const signature = this.key.signBase64(`${this.#messagePrefix}${taskId}:${timestamp}`);
    return encodeAgentAssertion({ agentRuntimeId: this.agentRuntimeId, taskId, timestamp, signature });
  }

  taskRegistrationBody(options: { externalTaskRef?: string; now?: Date } = {}): TaskRegistrationBody {
    const timestamp = this.#timestamp(options.now === undefined ? Date.now() : options.now.getTime());
    const body: TaskRegistrationBody = {
      timestamp,
      signature: this.key.signBase64(`${this.#messagePrefix}${timestamp}`),
    };
    if (options.externalTaskRef !== undefined) body.external_task_ref = options.externalTaskRef;
    return body;
  }

  openSealedTaskId(encryptedTaskIdBase64: string): Promise<AgentTaskId> {
    return openSealedTaskId(encryptedTaskIdBase64, this.key);
  }

  toJSON(): { agentRuntimeId: string; publicKeySsh: string } {
    return { agentRuntimeId: this.agentRuntimeId, publicKeySsh: this.publicKeySsh };
  }

  [inspect.custom](): string {
    return `AgentSigner { agentRuntimeId: ${JSON.stringify(this.agentRuntimeId)}, publicKeySsh: ${JSON.stringify(this.publicKeySsh)} }`;
  }
}

/** Parses the key once and returns a signer that mints headers and task-registration bodies. */
export function createAgentSigner(options: CreateAgentSignerOptions): AgentSigner {
  const runtime = agentRuntimeId(options.agentRuntimeId);
  const key = 'key' in options ? options.key : AgentKey.fromPkcs8Base64(options.privateKeyPkcs8Base64);
  if (!(key instanceof AgentKey)) throw new AgentIdentityError('invalid_argument', 'key must be an AgentKey');
  return new Signer(runtime, key);
}
