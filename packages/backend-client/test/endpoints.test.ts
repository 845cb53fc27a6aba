import { type DevBackend, startDevBackend } from '@codex-ts/dev-backend';
import { agentTestAccount } from '@codex-ts/dev-backend/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assistantError,
  assistantMessages,
  BackendClient,
  preferredSnapshot,
  unifiedDiff,
  userPrompt,
} from '../src/index.js';

const modes = [
  { flag: 'off', scheme: 'bearer' },
  { flag: 'on', scheme: 'assertion' },
] as const;

describe.each(modes)('every endpoint against the dev backend, flag $flag', ({ flag, scheme }) => {
  let backend: DevBackend;
  let client: BackendClient;
  let accountId: string;

  beforeAll(async () => {
    backend = await startDevBackend();
    const account = await agentTestAccount(backend, { email: `flag-${flag}@example.com`, plan: 'plus' });
    accountId = account.accountId;
    const auth = flag === 'off' ? account.bearer : account.background;
    if (flag === 'on') await account.background.register();
    client = new BackendClient({ baseUrl: `${backend.chatgptBaseUrl}/`, auth });
    backend.clearRequests();
  });
  afterAll(() => backend.close());

  it('walks usage, tasks, siblings, requirements, environments and connectors with one scheme', async () => {
    expect(client.pathStyle).toBe('chatgpt-api');
    const limits = await client.getRateLimits();
    expect(limits).toMatchObject({ limitId: 'codex', planType: 'plus', rateLimitReachedType: undefined });
    expect(limits.primary?.windowMinutes).toBe(300);
    expect(limits.secondary?.windowMinutes).toBe(7 * 24 * 60);
    expect(limits.credits).toEqual({ hasCredits: false, unlimited: false, balance: '0' });
    // reset_at is the server's now + the window: it may move by a second between two calls.
    const resets = { resetsAt: expect.any(Number) };
    expect(preferredSnapshot(await client.getRateLimitSnapshots())).toEqual({
      ...limits,
      primary: { ...limits.primary, ...resets },
      secondary: { ...limits.secondary, ...resets },
    });

    const id = await client.createTask({
      new_task: { environment_id: 'env_dev', run_environment_in_qa_mode: false },
      input_items: [
        { type: 'message', role: 'user', content: [{ content_type: 'text', text: 'add a file' }] },
      ],
      metadata: { best_of_n: 2 },
    });
    expect(id).toMatch(/^task_e_/);

    const page = await client.listTasks({ limit: 5, taskFilter: 'current', environmentId: 'env_dev' });
    expect(page.items.map((t) => [t.id, t.title])).toEqual([[id, 'add a file']]);
    expect(page.cursor).toBeNull();
    expect(page.items[0]).toHaveProperty('pull_requests', []); // unknown fields are kept

    const details = await client.getTaskDetails(id);
    expect(userPrompt(details)).toBe('add a file');
    expect(assistantMessages(details)).toEqual(['Done: add a file (attempt 1)']);
    expect(assistantError(details)).toBeUndefined();
    expect(unifiedDiff(details)).toMatch(/^diff --git a\/DEV_BACKEND.md b\/DEV_BACKEND.md\n/);

    const turnId = details.current_assistant_turn!.id;
    const siblings = await client.listSiblingTurns(id, turnId);
    expect(siblings.sibling_turns.map((t) => t.attempt_placement)).toEqual([1]);

    const requirements = await client.getConfigRequirements();
    expect(requirements.contents).toBe('# managed requirements served by the codex-ts dev backend\n');

    expect(await client.listEnvironments()).toEqual([
      { id: 'env_dev', label: 'dev-backend', is_pinned: true, task_count: 1 },
    ]);
    const byRepo = await client.listEnvironmentsByRepo('octo', 'demo');
    expect(byRepo.map((e) => [e.id, e.label])).toEqual([['env_gh_octo_demo', 'octo/demo']]);

    const apps = await client.listConnectors();
    expect(apps.map((a) => a.id)).toEqual([
      'connector_dev_calendar',
      'connector_dev_drive',
      'connector_dev_github',
    ]);

    const seen = backend.requests().map((r) => [r.method, r.path, r.authScheme, r.status, r.sentAccountId]);
    const paths = [
      ['GET', '/backend-api/wham/usage'],
      ['GET', '/backend-api/wham/usage'],
      ['POST', '/backend-api/wham/tasks'],
      ['GET', '/backend-api/wham/tasks/list'],
      ['GET', `/backend-api/wham/tasks/${id}`],
      ['GET', `/backend-api/wham/tasks/${id}/turns/${turnId}/sibling_turns`],
      ['GET', '/backend-api/wham/config/requirements'],
      ['GET', '/backend-api/wham/environments'],
      ['GET', '/backend-api/wham/environments/by-repo/github/octo/demo'],
      ['GET', '/backend-api/connectors/directory/list'],
      ['GET', '/backend-api/connectors/directory/list'],
    ];
    expect(seen).toEqual(paths.map(([method, path]) => [method, path, scheme, 200, accountId]));
    if (flag === 'on') {
      expect(new Set(backend.requests().map((r) => r.taskKind))).toEqual(new Set(['background']));
    }
  });
});
