import { type DevBackend, startDevBackend } from '@codex-ts/dev-backend';
import { agentTestAccount } from '@codex-ts/dev-backend/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyticsClient } from '../src/index.js';
import { appUsed, fingerprints, recordingLogger, threadInitialized } from './support/facts.js';

const PATH = '/backend-api/codex/analytics-events/events';
let backend: DevBackend;
beforeAll(async () => {
  backend = await startDevBackend();
});
afterAll(async () => {
  await backend.close();
});

describe('analytics against the dev backend', () => {
  it.each([
    ['flag on: the background assertion', 'background', 'assertion'],
    ['flag off: bearer', 'bearer', 'bearer'],
  ] as const)('%s on every batch', async (_title, which, scheme) => {
    const account = await agentTestAccount(backend, { email: `analytics-${which}@example.com` });
    backend.clearRequests();
    const logger = recordingLogger();
    const client = createAnalyticsClient({
      baseUrl: backend.chatgptBaseUrl,
      provider: account[which],
      logger,
    });
    client.track(threadInitialized);
    client.track(fingerprints);
    client.track(appUsed('c1'));
    expect(await client.flush()).toEqual({ flushed: true, abandoned: 0 });
    const seen = backend.requests({ path: PATH });
    expect(seen.map((r) => [r.method, r.status, r.authScheme, r.sentAccountId])).toEqual([
      ['POST', 202, scheme, account.accountId],
      ['POST', 202, scheme, account.accountId],
      ['POST', 202, scheme, account.accountId],
    ]);
    expect(logger.messages).toEqual([]);
    const recorded = backend.analyticsEvents().slice(-3) as Array<{
      event_type: string;
      event_params: { thread_id: string };
    }>;
    expect(recorded.map((e) => [e.event_type, e.event_params.thread_id])).toEqual([
      ['codex_thread_initialized', 'thread-1'],
      ['codex_accepted_line_fingerprints', 'thread-1'],
      ['codex_app_used', 'thread-1'],
    ]);
  });
});
