import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevBackend, startDevBackend } from '../src/index.js';

describe('cloud-task helpers: seeded tasks and a separate upload host', () => {
  let backend: DevBackend;
  let bearer: string;
  let accountId: string;

  beforeAll(async () => {
    backend = await startDevBackend({ separateUploadHost: true });
    const tokens = await backend.issueTokens({ email: 'seed@example.com' });
    bearer = `Bearer ${tokens.access_token}`;
    accountId = tokens.account_id;
  });
  afterAll(() => backend.close());

  const get = (path: string) =>
    fetch(`${backend.chatgptBaseUrl}/${path}`, { headers: { authorization: bearer } });

  it('seeds a task with the caller’s diff, in process and over POST /dev/cloud-tasks', async () => {
    const diff = '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n';
    const id = backend.seedCloudTask({ accountId, diff, title: 'seeded', siblings: 1 });
    const details = (await (await get(`wham/tasks/${id}`)).json()) as {
      task: { title: string };
      current_diff_task_turn: { output_items: unknown[] };
      current_assistant_turn: { sibling_turn_ids: string[] };
    };
    expect(details.task.title).toBe('seeded');
    expect(details.current_diff_task_turn.output_items).toEqual([{ type: 'output_diff', diff }]);
    expect(details.current_assistant_turn.sibling_turn_ids).toHaveLength(1);

    const posted = await fetch(`${backend.url}/dev/cloud-tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountId, diff: 'not a diff', environmentId: 'env_other' }),
    });
    const { id: second } = (await posted.json()) as { id: string };
    const list = (await (await get('wham/tasks/list?environment_id=env_other')).json()) as {
      items: { id: string }[];
    };
    expect(list.items.map((t) => t.id)).toEqual([second]);

    expect(() => backend.seedCloudTask({ accountId: 'nobody', diff })).toThrow('no user has account nobody');
  });

  it('upload_url points at the second port, which records the scheme of a credential sent there', async () => {
    expect(backend.uploadUrl).not.toBe(backend.url);
    expect(backend.uploadUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const created = await fetch(`${backend.chatgptBaseUrl}/files`, {
      method: 'POST',
      headers: { authorization: bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ file_name: 'a.txt', file_size: 2 }),
    });
    const { file_id, upload_url } = (await created.json()) as { file_id: string; upload_url: string };
    expect(upload_url.startsWith(`${backend.uploadUrl}/files-blob/${file_id}?sig=`)).toBe(true);
    backend.clearRequests();
    expect((await fetch(upload_url, { method: 'PUT', body: 'hi' })).status).toBe(201);
    expect(
      (await fetch(upload_url, { method: 'PUT', body: 'hi', headers: { authorization: bearer } })).status,
    ).toBe(201);
    expect(backend.requests().map((r) => [r.method, r.path, r.authScheme, r.status])).toEqual([
      ['PUT', `/files-blob/${file_id}`, 'none', 201],
      ['PUT', `/files-blob/${file_id}`, 'bearer', 201],
    ]);
    const done = await fetch(`${backend.chatgptBaseUrl}/files/${file_id}/uploaded`, {
      method: 'POST',
      headers: { authorization: bearer, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(((await done.json()) as { status: string }).status).toBe('success');
  });
});
