import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startDevBackend } from '../src/index.js';
import { backend, json, postJson, registerAgent, registerTask } from './helpers.js';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'dev-backend-')), 'state.json');
}

describe('persistence', () => {
  it('keeps users, identities, tasks and signing secrets across a restart', async () => {
    const dataFile = tempFile();
    const first = await backend({ dataFile });
    const agent = await registerAgent(first);
    const thread = await registerTask(first, agent, 'thread-1');
    const background = await registerTask(first, agent);
    await first.close();
    expect(statSync(dataFile).mode & 0o777).toBe(0o600);
    const text = readFileSync(dataFile, 'utf8');
    expect(text).not.toContain(agent.tokens.refresh_token);
    expect(text).not.toContain(agent.tokens.access_token);

    const second = await backend({ dataFile });
    expect(second.identities()).toEqual(first.identities());
    expect(second.tasks()).toEqual(first.tasks());
    expect(await registerTask(second, agent, 'thread-1')).toBe(thread);
    for (const authorization of [
      agent.signer.authorizationHeader(thread),
      agent.signer.authorizationHeader(background),
      `Bearer ${agent.tokens.access_token}`,
    ]) {
      expect(
        (await fetch(`${second.chatgptBaseUrl}/wham/usage`, { headers: { authorization } })).status,
      ).toBe(200);
    }
    const refreshBody = {
      client_id: 'c',
      grant_type: 'refresh_token',
      refresh_token: agent.tokens.refresh_token,
    };
    const refreshed = await postJson(second.tokenUrl, refreshBody);
    expect(refreshed.status).toBe(200);
    await second.close();
    const third = await backend({ dataFile });
    const reused = await postJson(third.tokenUrl, refreshBody);
    expect((await json(reused)).error.code).toBe('refresh_token_reused');
  });

  it('fails to start when the data file cannot be written', async () => {
    const dataFile = join(tempFile(), 'missing-dir', 'state.json');
    await expect(startDevBackend({ dataFile })).rejects.toThrow(/ENOENT/);
  });

  it('refuses a data file that is not its own', async () => {
    const dataFile = tempFile();
    writeFileSync(dataFile, '{"hello":"world"}');
    await expect(startDevBackend({ dataFile })).rejects.toThrow(/not a dev-backend data file/);
    writeFileSync(dataFile, 'not json');
    await expect(startDevBackend({ dataFile })).rejects.toThrow(/not valid JSON/);
  });
});

// dist/ is built before the tests (turbo's graph, or the shared vitest global setup). Rebuilding it here rewrote
// files other packages' tests were importing at that moment.
describe('cli', () => {
  async function start(args: string[]) {
    const child = spawn(process.execPath, [join(appDir, 'dist/cli.js'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const first = (await lines.next()).value as string;
    const second = (await lines.next()).value as string;
    return { child, first, second, lines };
  }

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'prints its URLs, serves, keeps --data and stops on %s',
    async (signal) => {
      const dataFile = tempFile();
      const { child, first, second } = await start([
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--data',
        dataFile,
      ]);
      const match = /^dev-backend listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(first);
      expect(match).not.toBeNull();
      const url = match![1]!;
      expect(second).toBe(`chatgpt base url: ${url}/backend-api`);
      const tokens = await json(await fetch(`${url}/dev/tokens`, { method: 'POST' }));
      const usage = await fetch(`${url}/backend-api/wham/usage`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      expect(usage.status).toBe(200);
      child.kill(signal);
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      const saved = JSON.parse(readFileSync(dataFile, 'utf8'));
      expect(saved.users).toHaveLength(1);
    },
  );

  it('exits 2 with usage on bad arguments', async () => {
    const child = spawn(process.execPath, [join(appDir, 'dist/cli.js'), '--port', 'abc'], { stdio: 'pipe' });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('usage: codex-ts-dev-backend');
  });

  it('exits 2 with usage on an out-of-range --clock-offset', async () => {
    const args = [join(appDir, 'dist/cli.js'), '--port', '0', '--clock-offset', '99999999999999'];
    const child = spawn(process.execPath, args, { stdio: 'pipe' });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe('--clock-offset must be within ±3162240000 seconds');
  });
});
