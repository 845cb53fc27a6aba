import { readAuthorizationError } from '@codex-ts/agent-identity';
import { describe, expect, it } from 'vitest';
import { assertionHeader, backend, registerAgent } from './helpers.js';

describe('the 401 vocabulary, as written by the dev backend and read by agent-identity', () => {
  it('reads every rejection the backend sends as a known reason from the header', async () => {
    const b = await backend();
    const agent = await registerAgent(b);
    const header = await assertionHeader(b, agent);
    const usage = `${b.chatgptBaseUrl}/wham/usage`;
    const cases: Array<[Record<string, string>, number, string]> = [
      [{}, 401, 'missing_authorization'],
      [{ authorization: 'Basic x' }, 401, 'unsupported_scheme'],
      [{ authorization: 'Bearer nope' }, 401, 'invalid_bearer'],
      [{ authorization: 'AgentAssertion !!' }, 401, 'malformed_assertion'],
      [{ authorization: header, 'chatgpt-account-id': 'acct-other' }, 403, 'account_mismatch'],
    ];
    for (const [headers, status, reason] of cases) {
      const res = await fetch(usage, { headers });
      const body = await res.text();
      expect(readAuthorizationError({ status: res.status, headers: res.headers, body })).toEqual({
        status,
        reason,
        source: 'header',
      });
    }
    b.forgetTask(JSON.parse(Buffer.from(header.slice(15), 'base64url').toString()).task_id);
    const res = await fetch(usage, { headers: { authorization: header } });
    expect(readAuthorizationError({ status: res.status, headers: res.headers })).toEqual({
      status: 401,
      reason: 'unknown_task',
      source: 'header',
    });
  });
});
