import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METHOD_NAMES } from '@codex-ts/app-server';
import { chatgptAuthJson } from '@codex-ts/dev-backend/testing';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import { AppServerSchema, generateAppServerSchema } from '../src/app-server-schema.js';
import { type AppServerCommand, AppServerSession } from '../src/app-server-session.js';
import { runComparableSession } from '../src/comparable-session.js';
import { type ComparedRun, compareSessions } from '../src/session-compare.js';
import type { AllowedDifference } from '../src/shape-compare.js';
import {
  devRequest,
  platform,
  sideBySide,
  type UpstreamWorld,
  upstreamBinary,
  upstreamTitle,
  useWorld,
} from './harness.js';

/** Notifications upstream sends in this session that codex-ts has no cause to send. */
const UPSTREAM_ONLY_NOTIFICATIONS = new Set([
  // "could not find bubblewrap on PATH": upstream's sandbox; codex-ts runs no tools.
  'configWarning',
  // the start of the per-thread MCP servers that give a turn its tools; a codex-ts turn has no tools.
  'mcpServer/startupStatus/updated',
  // "full-history hydration is deprecated for paginated threads": codex-ts threads are `historyMode: legacy`.
  'deprecationNotice',
]);

/**
 * The differences in shape codex-ts means to have, each with its reason; an entry that explains nothing in a run
 * fails the test (the gap is closed: remove it).
 */
const INTENDED_DIFFERENCES: AllowedDifference[] = [
  {
    path: 'thread/resume: result.turnsBackwardsCursor',
    reason:
      'null: a codex-ts thread is `legacy` and its resume carries every turn; upstream pages its `paginated` threads ' +
      'through thread/turns/list, which codex-ts does not serve',
  },
  {
    path: 'thread/resume: result.itemsBackwardsCursor',
    reason:
      'null, for the same reason: upstream pages items through thread/items/list, which codex-ts does not serve',
  },
];

async function world(context: TestContext): Promise<UpstreamWorld> {
  return useWorld(context, {
    backend: { tls: true },
    config: { model: 'dev-echo' },
    auth: async (backend) =>
      chatgptAuthJson(await backend.issueTokens({ email: 'dev@example.com', plan: 'plus' })),
  });
}

/**
 * The comparable session against one server; halfway it goes on in a second process of the same server on the same
 * CODEX_HOME (the first has closed), which resumes the thread. The transcript holds the first process's messages, then
 * the second's: the two never overlap, so each response still follows its own request.
 */
async function run(w: UpstreamWorld, command: AppServerCommand): Promise<ComparedRun> {
  const start = () => AppServerSession.start(command);
  const session = start();
  const others: AppServerSession[] = [];
  try {
    const outcomes = await runComparableSession(session, {
      approveDeviceCode: async (userCode) => {
        await devRequest(w.backend, '/dev/device/approve', { user_code: userCode, email: 'dev@example.com' });
      },
      apiKey: 'sk-interop-compare-key',
      cwd: w.home.path,
      prompt: 'hello interop',
      startAnother: () => {
        const other = start();
        others.push(other);
        return other;
      },
    });
    return { outcomes, transcript: [session, ...others].flatMap((s) => s.transcript) };
  } finally {
    await Promise.all([session, ...others].map((s) => s.close()));
  }
}

describe.skipIf(!platform.supported)(
  upstreamTitle('codex-ts-app-server against upstream 0.169 `app-server`: the same session, the same shapes'),
  () => {
    it('every method both serve answers with the same keys and JSON types, and both validate against upstream’s schema', async (context) => {
      const { upstream, ours, upstreamWorld } = await sideBySide(() => world(context), run);

      // CODEX_TS_INTEROP_DUMP=DIR keeps both transcripts (upstream.json, ours.json) for a developer to read.
      const dump = process.env.CODEX_TS_INTEROP_DUMP;
      if (dump) {
        await writeFile(join(dump, 'upstream.json'), JSON.stringify(upstream.transcript, null, 1));
        await writeFile(join(dump, 'ours.json'), JSON.stringify(ours.transcript, null, 1));
      }
      const comparison = compareSessions(ours, upstream, INTENDED_DIFFERENCES);
      console.info(
        `upstream-interop: compared ${comparison.comparedSteps.length} steps (${comparison.comparedSteps.join(', ')}) and ` +
          `${comparison.comparedNotifications.length} notification methods (${comparison.comparedNotifications.join(', ')}); ` +
          `not served by codex-ts yet: ${comparison.notServedByUs.join(', ') || 'none'}; ` +
          `notifications upstream sent and codex-ts did not: ${comparison.notSentByUs.join(', ') || 'none'}`,
      );
      expect.soft(comparison.outcomeMismatches).toEqual([]);
      // Every field upstream sends, codex-ts sends too, with the same JSON type, but for the intended differences
      // above; each of those still explains one.
      expect.soft(comparison.differences).toEqual([]);
      expect.soft(comparison.unusedAllowances).toEqual([]);
      // The notifications only upstream sends, each for a reason that does not apply to codex-ts (any other fails).
      expect.soft(comparison.notSentByUs.filter((m) => !UPSTREAM_ONLY_NOTIFICATIONS.has(m))).toEqual([]);
      // A step is skipped only when its method is truly not in our server's list: never a silent pass.
      const served = new Set<string>(METHOD_NAMES);
      for (const step of comparison.notServedByUs) {
        expect(served.has(ours.outcomes.get(step)!.method), step).toBe(false);
      }
      // The same apps in the same order (upstream sorts accessible apps first, then by name, then by id).
      const apps = (outcomes: typeof ours.outcomes) => {
        const outcome = outcomes.get('app/list');
        const data =
          outcome?.kind === 'result'
            ? (outcome.result as { data?: Array<{ id: string; isAccessible: boolean }> }).data
            : [];
        return data ?? [];
      };
      const appIds = (outcomes: typeof ours.outcomes) => apps(outcomes).map((app) => app.id);
      expect.soft(appIds(ours.outcomes)).toEqual(appIds(upstream.outcomes));
      expect(appIds(upstream.outcomes).length).toBeGreaterThan(1);
      // Where the two lists part: upstream gives its ChatGPT credentials to MCP servers on ChatGPT's own origins
      // only, so its `codex_apps` connection to the dev backend goes without one and is refused, and it lists every
      // app as not accessible. codex-ts authenticates `codex_apps` with the default provider at `chatgpt_base_url`,
      // as it does every other backend call, so the same apps are accessible to it.
      const codexAppsFailures = upstream.transcript
        .map((entry) => entry.message)
        .filter((m) => m.method === 'mcpServer/startupStatus/updated')
        .map((m) => m.params as { name: string; status: string; error: string | null })
        .filter((p) => p.name === 'codex_apps' && p.status === 'failed');
      expect(codexAppsFailures.length).toBeGreaterThan(0);
      for (const failure of codexAppsFailures)
        expect(failure.error).toMatch(/HTTP 401.*missing_authorization/);
      expect(apps(upstream.outcomes).map((app) => app.isAccessible)).not.toContain(true);
      expect(apps(ours.outcomes).map((app) => app.isAccessible)).not.toContain(false);
      expect(comparison.comparedSteps).toEqual(
        expect.arrayContaining([
          'initialize',
          'account/read@start',
          'thread/start',
          'turn/start',
          'thread/resume',
          'turn/start@resumed',
          'thread/read@resumed',
          'app/list',
          'account/logout',
        ]),
      );

      const schemaDir = await mkdtemp(join(tmpdir(), 'codex-ts-interop-schema-'));
      try {
        await generateAppServerSchema(upstreamBinary('0.169.0'), schemaDir, upstreamWorld.env);
        const schema = await AppServerSchema.load(schemaDir);
        expect(await schema.validateTranscript(upstream.transcript)).toEqual([]);
        expect(await schema.validateTranscript(ours.transcript)).toEqual([]);
      } finally {
        await rm(schemaDir, { recursive: true, force: true });
      }
    });
  },
);
