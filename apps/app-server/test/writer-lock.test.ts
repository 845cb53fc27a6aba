import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RolloutLockError } from '../src/index.js';
import { ThreadWriterLock } from '../src/threads/writer-lock.js';
import { useDevWorld } from './support/dev-world.js';
import { tempHome } from './support/fixture.js';

const world = useDevWorld();

interface WireThread {
  id: string;
  path: string;
}

const activeWriter = (id: string) => ({ code: -32600, message: `thread ${id} already has an active writer` });

/** A stored thread on a fresh home, its server closed (nobody holds it). */
async function storedThread(): Promise<{ home: string; thread: WireThread }> {
  const a = await world.server({ signedIn: false });
  const { thread } = await a.client.result<{ thread: WireThread }>('thread/start', {});
  await a.close();
  return { home: a.home, thread };
}

/** Writes the thread's lock as another process would. */
function lockAs(thread: WireThread, holder: { pid: number; start: string | null }): void {
  writeFileSync(`${thread.path}.lock`, JSON.stringify({ ...holder, host: hostname() }), { mode: 0o600 });
}

const holderOf = (thread: WireThread) => JSON.parse(readFileSync(`${thread.path}.lock`, 'utf8'));

/** A process that runs until it is killed, or the test ends. */
function liveProcess() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  onTestFinished(() => {
    child.kill();
  });
  return child;
}

describe('one writer per thread', () => {
  it('a second server cannot resume or archive a thread the first holds; it reads it, and takes it once the first closes', async () => {
    const a = await world.server({ signedIn: false });
    const { thread } = await a.client.result<{ thread: WireThread }>('thread/start', {});
    expect(holderOf(thread)).toMatchObject({ pid: process.pid, host: hostname() });
    expect(statSync(`${thread.path}.lock`).mode & 0o777).toBe(0o600);

    const b = await world.server({ home: a.home });
    expect((await b.client.call('thread/resume', { threadId: thread.id })).error).toEqual(
      activeWriter(thread.id),
    );
    expect((await b.client.call('thread/archive', { threadId: thread.id })).error).toEqual(
      activeWriter(thread.id),
    );
    expect(
      (await b.client.result<{ thread: WireThread }>('thread/read', { threadId: thread.id })).thread.id,
    ).toBe(thread.id);

    await a.close();
    expect(existsSync(`${thread.path}.lock`)).toBe(false);
    const resumed = await b.client.result<{ thread: WireThread }>('thread/resume', { threadId: thread.id });
    expect(resumed.thread.id).toBe(thread.id);
    expect(holderOf(thread)).toMatchObject({ pid: process.pid });
    await b.client.result('thread/archive', { threadId: thread.id });
    expect(existsSync(`${thread.path}.lock`)).toBe(false);
  });

  it('a live process’s lock refuses the resume until the process is gone', async () => {
    const { home, thread } = await storedThread();
    const child = liveProcess();
    lockAs(thread, { pid: child.pid!, start: null });
    const b = await world.server({ home });
    expect((await b.client.call('thread/resume', { threadId: thread.id })).error).toEqual(
      activeWriter(thread.id),
    );
    expect(b.logs.some((l) => l.includes('another live writer holds the thread'))).toBe(true);

    child.kill();
    await once(child, 'exit');
    await b.client.result('thread/resume', { threadId: thread.id });
    expect(holderOf(thread)).toMatchObject({ pid: process.pid });
  });

  it('a lock whose pid now runs another process (started at another moment) is taken over', async () => {
    if (!existsSync('/proc/self/stat')) return; // start times come from /proc
    const { home, thread } = await storedThread();
    lockAs(thread, { pid: liveProcess().pid!, start: 'another-boot:1' });
    const b = await world.server({ home });
    await b.client.result('thread/resume', { threadId: thread.id });
    expect(holderOf(thread)).toMatchObject({ pid: process.pid });
  });

  it('archiving a thread whose writer is gone takes its lock over and leaves no lock behind', async () => {
    const { home, thread } = await storedThread();
    lockAs(thread, { pid: 0x7ffffffe, start: null }); // no process can have this pid (Linux caps pids at 2^22)
    const b = await world.server({ home });
    await b.client.result('thread/archive', { threadId: thread.id });
    expect(existsSync(thread.path)).toBe(false);
    expect(existsSync(`${thread.path}.lock`)).toBe(false);
    const unarchived = await b.client.result<{ thread: WireThread }>('thread/unarchive', {
      threadId: thread.id,
    });
    expect(unarchived.thread.id).toBe(thread.id);
  });

  it('a lock that does not parse is no writer’s: taken over', async () => {
    const { home, thread } = await storedThread();
    writeFileSync(`${thread.path}.lock`, '{"pid":');
    const b = await world.server({ home });
    await b.client.result('thread/resume', { threadId: thread.id });
    expect(holderOf(thread)).toMatchObject({ pid: process.pid });
  });

  it('writers racing to take over one stale lock: exactly one wins, every time', async () => {
    const rollout = `${tempHome()}/rollout-race.jsonl`;
    writeFileSync(rollout, '');
    // No process can have this pid (Linux caps pids at 2^22): the lock's writer is gone.
    const stale = JSON.stringify({ pid: 0x7ffffffe, host: hostname(), start: null });
    for (let round = 0; round < 100; round++) {
      writeFileSync(`${rollout}.lock`, stale, { mode: 0o600 });
      const taken = await Promise.all(Array.from({ length: 4 }, () => ThreadWriterLock.acquire(rollout)));
      const winners = taken.filter((lock) => lock !== undefined);
      expect(winners.length, `round ${round}`).toBe(1);
      expect(JSON.parse(readFileSync(`${rollout}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
      for (const lock of winners) lock.release();
      expect(existsSync(`${rollout}.lock`)).toBe(false);
    }
  });

  it('a lock that cannot be written is a typed RolloutLockError naming the rollout and the cause', async () => {
    const rollout = `${tempHome()}/gone/rollout-x.jsonl`; // its folder does not exist
    const err = await ThreadWriterLock.acquire(rollout).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RolloutLockError);
    expect((err as RolloutLockError).code).toBe('ENOENT');
    expect((err as Error).message).toBe(`cannot lock rollout ${rollout}: ENOENT`);
  });
});
