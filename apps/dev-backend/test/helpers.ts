import {
  AgentKey,
  type AgentSigner,
  buildAbom,
  createAgentSigner,
  fetchAgentBiscuit,
  registerAgentIdentity,
  registerAgentTask,
} from '@codex-ts/agent-identity';
import { afterEach } from 'vitest';
import { type DevBackend, type DevBackendOptions, type DevTokens, startDevBackend } from '../src/index.js';

const running: DevBackend[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((b) => b.close()));
});

/** A backend on 127.0.0.1:0, closed after the test. */
export async function backend(options: DevBackendOptions = {}): Promise<DevBackend> {
  const b = await startDevBackend(options);
  running.push(b);
  return b;
}

export interface Agent {
  tokens: DevTokens;
  signer: AgentSigner;
  key: AgentKey;
}

export const ABOM = buildAbom({ sessionSource: 'cli', version: '0.0.0-test' });

/** The real client flow: tokens → biscuit → identity registration. */
export async function registerAgent(b: DevBackend, tokens?: DevTokens): Promise<Agent> {
  const t = tokens ?? (await b.issueTokens());
  const key = AgentKey.generate();
  const biscuit = await fetchAgentBiscuit({
    chatgptBaseUrl: b.chatgptBaseUrl,
    accessToken: t.access_token,
    originalUrl: `${b.chatgptBaseUrl}/v1/agent/register`,
  });
  const runtime = await registerAgentIdentity({
    chatgptBaseUrl: b.chatgptBaseUrl,
    biscuit,
    publicKeySsh: key.publicKeySsh,
    abom: ABOM,
  });
  return { tokens: t, key, signer: createAgentSigner({ agentRuntimeId: runtime, key }) };
}

/** Registers a task with the real client; returns its id. */
export async function registerTask(b: DevBackend, agent: Agent, externalTaskRef?: string): Promise<string> {
  const task = await registerAgentTask({
    authapiBaseUrl: b.chatgptBaseUrl,
    signer: agent.signer,
    kind: externalTaskRef === undefined ? 'background' : 'thread',
    ...(externalTaskRef === undefined ? {} : { externalTaskRef }),
  });
  return task.taskId;
}

export async function assertionHeader(b: DevBackend, agent?: Agent): Promise<string> {
  const a = agent ?? (await registerAgent(b));
  const taskId = await registerTask(b, a);
  return a.signer.authorizationHeader(taskId);
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
export async function json(response: Response): Promise<any> {
  return JSON.parse(await response.text());
}

export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}
