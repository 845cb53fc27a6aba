import { z } from 'zod';
import type { Abom } from './abom.js';
import { type AgentRuntimeId, agentRuntimeId } from './ids.js';
import { parseResponseBody } from './response-body.js';
import { type CallSpec, call, checkStatus, type HttpOptions, IDENTITY_TIMEOUT_MS } from './transport.js';
import { agentRegistrationUrl } from './urls.js';

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
  return agentRuntimeId(parseResponseBody(spec, result, IdentityResponse).agent_runtime_id);
}
