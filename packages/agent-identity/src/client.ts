import { randomBytes } from 'node:crypto';
import { type Dispatcher, request } from 'undici';
import { z } from 'zod';
import {
  AgentTaskIdError,
  RegistrationError,
  type RegistrationErrorCode,
  type RegistrationOperation,
} from './errors.js';
import {
  type AgentRuntimeId,
  type AgentTaskKind,
  agentRuntimeId,
  agentTaskExternalRef,
  agentTaskId,
  type RegisteredAgentTask,
} from './ids.js';
import type { AgentSigner } from './signer.js';
import { agentRegistrationUrl, agentTaskRegistrationUrl, biscuitUrl } from './urls.js';

/** The registration HTTP calls (biscuit, identity, task) over undici, with zod-validated responses. */

export interface HttpOptions {
  dispatcher?: Dispatcher;
  /** Overrides the per-call default (biscuit 15 s, identity 15 s, task 30 s). Covers headers and body. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Abom {
  agent_version: string;
  agent_harness_id: string;
  running_location: string;
}

export const BISCUIT_TIMEOUT_MS = 15_000;
export const IDENTITY_TIMEOUT_MS = 15_000;
export const TASK_TIMEOUT_MS = 30_000;
const MAX_ERROR_BODY_CHARS = 512;

const OPERATION_LABEL: Record<RegistrationOperation, string> = {
  biscuit: 'agent identity biscuit request',
  identity: 'agent identity registration',
  task: 'agent task registration',
};

const RUST_OS_NAMES: Partial<Record<NodeJS.Platform, string>> = { darwin: 'macos', win32: 'windows' };

/** The agent bill of materials sent with identity registration. */
export function buildAbom(o: { sessionSource: string; version: string; os?: string }): Abom {
  const os = o.os ?? RUST_OS_NAMES[process.platform] ?? process.platform;
  return {
    agent_version: o.version,
    agent_harness_id: o.sessionSource === 'vscode' ? 'codex-app' : 'codex-cli',
    running_location: `${o.sessionSource}-${os}`,
  };
}

/** `codex-agent-identity-` + base64url (no padding) of 16 random bytes. */
export function agentIdentityRequestId(): string {
  return `codex-agent-identity-${randomBytes(16).toString('base64url')}`;
}

interface CallSpec {
  operation: RegistrationOperation;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  defaultTimeoutMs: number;
  /** Strings that must never appear in an error (token, biscuit, signature). */
  secrets: string[];
  http: HttpOptions;
}

interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('<redacted>');
  return out;
}

function fail(
  spec: CallSpec,
  code: RegistrationErrorCode,
  detail: string,
  extra: {
    status?: number;
    body?: string;
    retryable: boolean;
    cause?: unknown;
    headers?: CallResult['headers'];
  },
): RegistrationError {
  const body =
    extra.body === undefined ? undefined : redact(extra.body, spec.secrets).slice(0, MAX_ERROR_BODY_CHARS);
  const message = redact(
    `${OPERATION_LABEL[spec.operation]} ${detail} from ${spec.url}${body === undefined || body === '' ? '' : `: ${body}`}`,
    spec.secrets,
  );
  return new RegistrationError({
    code,
    operation: spec.operation,
    message,
    url: spec.url,
    retryable: extra.retryable,
    ...(extra.status === undefined ? {} : { status: extra.status }),
    ...(body === undefined ? {} : { body }),
    ...(extra.cause === undefined ? {} : { cause: extra.cause }),
    ...responseFacts(extra.headers),
  });
}

/** The non-secret response headers a caller can act on. */
function responseFacts(headers: CallResult['headers'] | undefined): {
  serverDate?: string;
  authorizationError?: string;
} {
  const one = (name: string) => {
    const value = headers?.[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const serverDate = one('date');
  const authorizationError = one('x-openai-authorization-error');
  return {
    ...(serverDate === undefined ? {} : { serverDate }),
    ...(authorizationError === undefined ? {} : { authorizationError }),
  };
}

async function call(spec: CallSpec): Promise<CallResult> {
  const timeoutMs = spec.http.timeoutMs ?? spec.defaultTimeoutMs;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  const signal =
    spec.http.signal === undefined ? timeout.signal : AbortSignal.any([timeout.signal, spec.http.signal]);
  try {
    const response = await request(spec.url, {
      method: spec.method,
      headers: spec.headers,
      signal,
      ...(spec.body === undefined ? {} : { body: spec.body }),
      ...(spec.http.dispatcher === undefined ? {} : { dispatcher: spec.http.dispatcher }),
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  } catch (error) {
    if (timeout.signal.aborted) {
      throw fail(spec, 'timeout', `timed out after ${timeoutMs} ms`, { retryable: true });
    }
    if (spec.http.signal?.aborted) {
      throw fail(spec, 'aborted', 'was aborted', { retryable: false, cause: spec.http.signal.reason });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw fail(spec, 'network', `failed (${reason})`, { retryable: true, cause: error });
  } finally {
    clearTimeout(timer);
  }
}

function checkStatus(spec: CallSpec, result: CallResult): void {
  if (result.status >= 200 && result.status < 300) return;
  throw fail(spec, 'http_status', `failed with status ${result.status}`, {
    status: result.status,
    body: result.text,
    retryable: result.status >= 500 || result.status === 429,
    headers: result.headers,
  });
}

function parseJson<T>(spec: CallSpec, result: CallResult, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(result.text);
  } catch {
    throw fail(spec, 'invalid_response', 'returned a body that is not JSON', {
      status: result.status,
      body: result.text,
      retryable: false,
    });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
    throw fail(
      spec,
      'invalid_response',
      `returned an unexpected body (${issue?.message ?? 'invalid'}${where})`,
      {
        status: result.status,
        body: result.text,
        retryable: false,
      },
    );
  }
  return parsed.data;
}

/**
 * `GET {base}/authenticate_app_v2` with the ChatGPT bearer token; the biscuit is the `x-openai-authorization`
 * response header. `originalMethod` defaults to POST, `originalUrl` is the call the biscuit is for.
 */
export async function fetchAgentBiscuit(
  o: {
    chatgptBaseUrl: string;
    accessToken: string;
    originalMethod?: string;
    originalUrl: string;
  } & HttpOptions,
): Promise<string> {
  const spec: CallSpec = {
    operation: 'biscuit',
    url: biscuitUrl(o.chatgptBaseUrl),
    method: 'GET',
    headers: {
      Authorization: `Bearer ${o.accessToken}`,
      'X-Request-Id': agentIdentityRequestId(),
      'X-Original-Method': o.originalMethod ?? 'POST',
      'X-Original-Url': o.originalUrl,
    },
    defaultTimeoutMs: BISCUIT_TIMEOUT_MS,
    secrets: [o.accessToken],
    http: o,
  };
  const result = await call(spec);
  checkStatus(spec, result);
  const header = result.headers['x-openai-authorization'];
  const biscuit = Array.isArray(header) ? header[0] : header;
  if (biscuit === undefined || biscuit.length === 0) {
    throw fail(spec, 'invalid_response', 'returned no x-openai-authorization header', {
      status: result.status,
      retryable: false,
    });
  }
  return biscuit;
}

const IdentityResponse = z.object({ agent_runtime_id: z.string().min(1) });

/** `POST {base}/v1/agent/register` with `X-OpenAI-Authorization: <biscuit>` (no bearer). */
export async function registerAgentIdentity(
  o: { chatgptBaseUrl: string; biscuit: string; publicKeySsh: string; abom: Abom } & HttpOptions,
): Promise<AgentRuntimeId> {
  const spec: CallSpec = {
    operation: 'identity',
    url: agentRegistrationUrl(o.chatgptBaseUrl),
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-OpenAI-Authorization': o.biscuit },
    body: JSON.stringify({ abom: o.abom, agent_public_key: o.publicKeySsh, capabilities: [] }),
    defaultTimeoutMs: IDENTITY_TIMEOUT_MS,
    secrets: [o.biscuit],
    http: o,
  };
  const result = await call(spec);
  checkStatus(spec, result);
  return agentRuntimeId(parseJson(spec, result, IdentityResponse).agent_runtime_id);
}

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
  const response = parseJson(spec, result, TaskResponse);
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
