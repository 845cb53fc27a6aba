import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN } from './golden-vector.js';
import { backend, json, postJson } from './helpers.js';

function goldenDataFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dev-backend-golden-')), 'state.json');
  const user = {
    userId: 'user-golden',
    email: 'golden@example.com',
    plan: 'plus',
    accountId: 'acct-golden',
    fedramp: false,
    createdAt: '2026-04-22T00:00:00.000Z',
  };
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      jwtSecret: Buffer.alloc(32, 1).toString('base64'),
      users: [user],
      identities: [
        {
          agentRuntimeId: GOLDEN.agentRuntimeId,
          publicKeySsh: GOLDEN.publicKeySsh,
          publicKey: Buffer.from(GOLDEN.publicKeyHex, 'hex').toString('base64'),
          userId: user.userId,
          accountId: user.accountId,
          registeredAt: '2026-04-22T00:00:00Z',
          abom: { agent_version: '0', agent_harness_id: 'codex-cli', running_location: 'cli-linux' },
          capabilities: [],
        },
      ],
      tasks: [
        {
          agentRuntimeId: GOLDEN.agentRuntimeId,
          taskId: GOLDEN.taskId,
          kind: 'background',
          registeredAt: '2026-04-22T00:00:00Z',
        },
      ],
      refreshTokens: [],
      revokedAccessTokenIds: [],
    }),
    { mode: 0o600 },
  );
  return file;
}

describe('upstream golden vector', () => {
  it('accepts the header and the task-registration signature Codex itself produces', async () => {
    const offset = (Date.parse(GOLDEN.timestamp) - Date.now()) / 1000;
    const b = await backend({
      dataFile: goldenDataFile(),
      clockOffsetSeconds: offset,
      taskIdResponse: 'plain',
    });
    const ok = await fetch(`${b.chatgptBaseUrl}/wham/usage`, {
      headers: { authorization: GOLDEN.header, 'ChatGPT-Account-ID': 'acct-golden' },
    });
    expect(ok.status).toBe(200);
    expect(b.requests().at(-1)).toMatchObject({
      authScheme: 'assertion',
      agentRuntimeId: GOLDEN.agentRuntimeId,
      taskId: GOLDEN.taskId,
      taskKind: 'background',
    });
    const task = await postJson(`${b.chatgptBaseUrl}/v1/agent/${GOLDEN.agentRuntimeId}/task/register`, {
      timestamp: GOLDEN.timestamp,
      signature: GOLDEN.taskRegistrationSignature,
    });
    expect(task.status).toBe(200);
    expect(await json(task)).toEqual({ task_id: expect.stringMatching(/^task_/) });

    b.setClockOffset(offset + 310);
    const stale = await fetch(`${b.chatgptBaseUrl}/wham/usage`, {
      headers: { authorization: GOLDEN.header },
    });
    expect(stale.headers.get('x-openai-authorization-error')).toBe('stale_timestamp');
    b.setClockOffset(offset - 310);
    const future = await fetch(`${b.chatgptBaseUrl}/wham/usage`, {
      headers: { authorization: GOLDEN.header },
    });
    expect(future.headers.get('x-openai-authorization-error')).toBe('future_timestamp');
  });
});
