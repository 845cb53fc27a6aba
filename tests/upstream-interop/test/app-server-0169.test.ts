import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODELS } from '@codex-ts/dev-backend';
import { chatgptAuthJson } from '@codex-ts/dev-backend/testing';
import { describe, expect, it } from 'vitest';
import { AppServerSchema, generateAppServerSchema } from '../src/app-server-schema.js';
import { AppServerSession } from '../src/app-server-session.js';
import { loadReferenceTranscript, saveReferenceTranscript } from '../src/reference-fixture.js';
import { runReferenceSession } from '../src/reference-session.js';
import { normaliseTranscript, requestResponsePairs } from '../src/transcript-normaliser.js';
import {
  devRequest,
  platform,
  type UpstreamWorld,
  upstreamAppServer,
  upstreamBinary,
  upstreamTitle,
  useWorld,
} from './harness.js';

/** Set to rewrite the fixture from this run (then review the diff). */
const UPDATE_FIXTURE = process.env.UPDATE_INTEROP_FIXTURES === '1';

describe.skipIf(!platform.supported)(
  upstreamTitle('upstream 0.169 `app-server` over stdio against the dev backend (TLS)'),
  () => {
    it('runs the reference session, matches the recorded exchanges and validates against upstream’s schema', async (context) => {
      let tokens: Awaited<ReturnType<UpstreamWorld['backend']['issueTokens']>> | undefined;
      const world = await useWorld(context, {
        backend: { tls: true },
        config: { model: 'dev-echo' },
        auth: async (backend) => {
          tokens = await backend.issueTokens({ email: 'dev@example.com', plan: 'plus' });
          return chatgptAuthJson(tokens);
        },
      });
      const backend = world.backend;
      const session = AppServerSession.start({
        argv: [upstreamBinary('0.169.0'), 'app-server'],
        env: world.env,
        cwd: world.home.path,
      });
      let results: Awaited<ReturnType<typeof runReferenceSession>>;
      try {
        results = await runReferenceSession(session, {
          approveDeviceCode: async (userCode) => {
            await devRequest(backend, '/dev/device/approve', {
              user_code: userCode,
              email: 'dev@example.com',
            });
          },
          apiKey: 'sk-interop-app-server-key',
          cwd: world.home.path,
          prompt: 'hello interop',
        });
      } finally {
        await session.close();
      }
      const userId = backend.users()[0]!.userId;

      expect(results.accountRead).toEqual({
        account: { type: 'chatgpt', email: 'dev@example.com', planType: 'plus', workspaceName: null },
        userId,
        requiresOpenaiAuth: true,
        workspaceRouting: {
          chatgptAccountId: tokens!.account_id,
          backendOrigin: backend.url,
          accountRoutingOverride: 'NO_CONSTRAINT',
        },
      });
      expect(results.rateLimits.rateLimits).toMatchObject({
        limitId: 'codex',
        primary: { usedPercent: 0, windowDurationMins: 300 },
        secondary: { usedPercent: 0, windowDurationMins: 10080 },
        credits: { hasCredits: false, unlimited: false, balance: '0' },
        planType: 'plus',
      });
      expect(results.models.data.map((m) => m.id)).toEqual(MODELS.map((m) => m.slug));
      expect(results.deltas.join('')).toBe('Echo: hello interop');
      expect(results.turnCompleted.turn.status).toBe('completed');
      // The turn's rate limits (websocket: upgrade headers and the codex.rate_limits event) reach the client.
      expect(session.notifications('account/rateLimits/updated')).not.toHaveLength(0);
      expect(results.apps.data).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: 'connector_dev_calendar' })]),
      );
      expect(results.deviceLoginCompleted).toEqual({
        loginId: results.deviceLogin.loginId,
        success: true,
        error: null,
        onboardingEntrypoint: null,
      });
      expect(results.deviceLogin.verificationUrl).toBe(`${backend.url}/codex/device`);
      expect(results.accountAfterDeviceLogin).toMatchObject({
        account: { type: 'chatgpt', email: 'dev@example.com' },
      });
      expect(results.logout).toEqual({});
      expect(results.accountAfterLogout).toMatchObject({ account: null });
      expect(results.apiKeyLogin).toEqual({ type: 'apiKey' });
      expect(results.accountAfterApiKeyLogin).toMatchObject({ account: { type: 'apiKey' } });
      expect(
        session.transcript.filter(
          (e) => e.from === 'server' && e.message.id !== undefined && e.message.method !== undefined,
        ),
      ).toEqual([]);

      // Every backend call upstream made was answered: no route it needs is missing.
      const unanswered = backend
        .requests()
        .filter((r) => r.status === 404 || r.status === 405)
        .map((r) => `${r.method} ${r.path}`);
      expect(unanswered).toEqual([]);

      // The recording, normalised, is the reference the project's own app-server is compared with.
      const normalised = normaliseTranscript(session.transcript, {
        replacements: {
          [world.home.path]: '<CODEX_HOME>',
          [backend.url]: '<DEV_BACKEND>',
          [tokens!.account_id]: '<ACCOUNT_ID>',
          [userId]: '<USER_ID>',
        },
      });
      if (UPDATE_FIXTURE) await saveReferenceTranscript('0.169.0', normalised);
      const recorded = await loadReferenceTranscript('0.169.0');
      expect(requestResponsePairs(normalised)).toEqual(requestResponsePairs(recorded));

      // Upstream's own schema, generated by the same binary, accepts every message of the session.
      const schemaDir = await mkdtemp(join(tmpdir(), 'codex-ts-interop-schema-'));
      try {
        await generateAppServerSchema(upstreamBinary('0.169.0'), schemaDir, world.env);
        const schema = await AppServerSchema.load(schemaDir);
        expect(await schema.validateTranscript(session.transcript)).toEqual([]);
      } finally {
        await rm(schemaDir, { recursive: true, force: true });
      }
    });

    it('its HTTP fallback (websocket upgrade refused with 426) sends the turn zstd-compressed, which the dev backend reads', async (context) => {
      const world = await useWorld(context, {
        backend: { tls: true },
        config: { model: 'dev-echo' },
        auth: async (backend) =>
          chatgptAuthJson(await backend.issueTokens({ email: 'dev@example.com', plan: 'plus' })),
      });
      const path = '/backend-api/codex/responses';
      world.backend.injectFault({ path, method: 'GET', status: 426, count: 100 });
      const session = await AppServerSession.initialized(upstreamAppServer(world));
      try {
        await session.startTurn(await session.startThread(world.home.path), 'squeezed');
        const { turn } = await session.nextNotification<{ turn: { status: string; items: unknown[] } }>(
          'turn/completed',
        );
        expect(turn).toMatchObject({ status: 'completed', items: [{ text: 'Echo: squeezed' }] });
        expect(world.backend.modelRequests().map((b) => b.input.at(-1))).toMatchObject([
          { role: 'user', content: [{ text: 'squeezed' }] },
        ]);
        const posted = world.backend.requests({ path, method: 'POST' });
        expect(posted.map((r) => r.sentContentEncoding)).toEqual(['zstd']);
      } finally {
        await session.close();
      }
    });

    it('the schema helper rejects what upstream would: a wrong type, a missing field, an unknown method', async () => {
      const schemaDir = await mkdtemp(join(tmpdir(), 'codex-ts-interop-schema-'));
      try {
        await generateAppServerSchema(upstreamBinary('0.169.0'), schemaDir, {
          PATH: process.env.PATH ?? '',
        });
        const schema = await AppServerSchema.load(schemaDir);
        const violations = await schema.validateTranscript([
          { from: 'client', message: { id: 1, method: 'account/read', params: {} } },
          { from: 'server', message: { id: 1, result: { account: null, requiresOpenaiAuth: 'yes' } } },
          { from: 'client', message: { id: 2, method: 'turn/start', params: { input: [] } } },
          { from: 'client', message: { id: 3, method: 'no/suchMethod', params: {} } },
          { from: 'server', message: { method: 'turn/completed', params: { threadId: 't' } } },
        ]);
        expect(violations.map(({ index, method, schema }) => ({ index, method, schema }))).toEqual([
          { index: 1, method: 'account/read', schema: 'GetAccountResponse' },
          { index: 2, method: 'turn/start', schema: 'ClientRequest' },
          { index: 3, method: 'no/suchMethod', schema: 'ClientRequest' },
          { index: 4, method: 'turn/completed', schema: 'ServerNotification' },
        ]);
        expect(violations[0]!.errors).toEqual(['/requiresOpenaiAuth must be boolean']);
      } finally {
        await rm(schemaDir, { recursive: true, force: true });
      }
    });
  },
);
