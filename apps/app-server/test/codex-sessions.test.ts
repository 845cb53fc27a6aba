import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ForeignRolloutError } from '../src/index.js';
import { readRollout } from '../src/threads/rollout.js';
import { useDevWorld } from './support/dev-world.js';
import { tempHome } from './support/fixture.js';

const world = useDevWorld();

interface WireThread {
  id: string;
  path: string;
}

const CODEX_THREAD = '01a1fe27-9ef1-7db2-bd82-7284264ba9ef';

/** The first line of a session upstream Codex 0.169 wrote (its `session_meta`, trimmed to a few of its fields). */
const codexMeta = JSON.stringify({
  timestamp: '2026-11-21T12:49:55.103Z',
  ordinal: 0,
  type: 'session_meta',
  payload: {
    session_id: CODEX_THREAD,
    id: CODEX_THREAD,
    timestamp: '2026-11-21T12:49:55.048Z',
    cwd: '/tmp',
    originator: 'codex_cli_rs',
    cli_version: '0.169.0',
    source: 'cli',
    model_provider: 'openai',
  },
});

/** Upstream's path for the session, in `tree` (`sessions` or `archived_sessions`) of `home`. */
const codexPath = (home: string, tree: string) =>
  join(home, tree, '2026/11/21', `rollout-2026-11-21T12-49-55-${CODEX_THREAD}.jsonl`);

/** A Codex session with a long tail of upstream's own records. */
function writeCodexSession(home: string): string {
  const path = codexPath(home, 'sessions');
  mkdirSync(dirname(path), { recursive: true });
  const event = JSON.stringify({
    timestamp: '2026-11-21T12:49:55.103Z',
    type: 'event_msg',
    payload: { type: 'task_started', turn_id: 't' },
  });
  writeFileSync(path, `${[codexMeta, ...Array(2000).fill(event)].join('\n')}\n`);
  return path;
}

const leftToCodex = {
  code: -32600,
  message: `thread ${CODEX_THREAD} was written by Codex 0.169.0: codex-ts replays only the threads it wrote`,
};

describe('a CODEX_HOME shared with the Codex CLI', () => {
  it('a Codex session is left to Codex: not listed, read, resumed or moved, and no warning is logged', async () => {
    const a = await world.server({ signedIn: false });
    const own = (await a.client.result<{ thread: WireThread }>('thread/start', {})).thread;
    const path = writeCodexSession(a.home);

    const listed = await a.client.result<{ data: WireThread[] }>('thread/list', {});
    expect(listed.data.map((t) => t.id)).toEqual([own.id]);
    for (const method of ['thread/read', 'thread/resume', 'thread/archive']) {
      expect((await a.client.call(method, { threadId: CODEX_THREAD })).error, method).toEqual(leftToCodex);
    }
    expect(existsSync(path)).toBe(true);
    expect(existsSync(`${path}.lock`)).toBe(false);

    // Archived by Codex: not listed among the archived, and not brought back.
    const archived = codexPath(a.home, 'archived_sessions');
    mkdirSync(dirname(archived), { recursive: true });
    renameSync(path, archived);
    expect((await a.client.result<{ data: WireThread[] }>('thread/list', { archived: true })).data).toEqual(
      [],
    );
    expect((await a.client.call('thread/unarchive', { threadId: CODEX_THREAD })).error).toEqual(leftToCodex);
    expect(existsSync(archived)).toBe(true);

    expect(a.logs.some((l) => l.includes('skipping an unreadable rollout'))).toBe(false);
  });

  it('a Codex session is read no further than its first line', async () => {
    // A pipe that gives the first line and then stays open: reading past that line would wait for ever.
    const path = join(tempHome(), `rollout-2026-11-21T12-49-55-${CODEX_THREAD}.jsonl`);
    execFileSync('mkfifo', [path]);
    const writer = spawn(
      'sh',
      ['-c', 'exec 3>"$1"; printf "%s\\n" "$0" >&3; exec sleep 60', codexMeta, path],
      {
        stdio: 'ignore',
      },
    );
    onTestFinished(() => {
      writer.kill();
    });
    const err = await readRollout(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForeignRolloutError);
    expect(err).toMatchObject({ path, writer: '0.169.0' });
  }, 10_000);
});
