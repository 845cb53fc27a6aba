import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { AppServer, createLogger, parseCliArgs, type WsListener } from '../src/index.js';
import { tempHome } from './support/fixture.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

let server: AppServer | undefined;
let listener: WsListener | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  listener = undefined;
});

async function listen(token?: string): Promise<WsListener> {
  const home = tempHome();
  server = await AppServer.create({
    env: { CODEX_HOME: home },
    logger: createLogger({ format: 'json', write: () => {} }),
  });
  listener = await server.listen('127.0.0.1', 0, token);
  return listener;
}

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
}

const INIT = { id: 1, method: 'initialize', params: { clientInfo: { name: 'ws_test', version: '1' } } };

describe('websocket transport', () => {
  it('carries one message per text frame; a malformed frame gets no reply', async () => {
    const l = await listen();
    const ws = await open(l.url);
    ws.send('{oops');
    const reply = nextMessage(ws);
    ws.send(JSON.stringify(INIT));
    expect(await reply).toMatchObject({ id: 1, result: { platformFamily: 'unix' } });
    const list = nextMessage(ws);
    ws.send(JSON.stringify({ id: 2, method: 'thread/list', params: {} }));
    expect(await list).toEqual({
      id: 2,
      result: { data: [], readStates: {}, nextCursor: null, backwardsCursor: null },
    });
    ws.close();
  });

  it('serves /readyz and /healthz; refuses anything with an Origin header with 403', async () => {
    const l = await listen();
    const http = `http${l.url.slice(2)}`;
    expect((await fetch(`${http}/readyz`)).status).toBe(200);
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    expect((await fetch(`${http}/readyz`, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    await expect(open(l.url, { origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
  });

  it('--ws-auth capability-token: the bearer token is checked before initialize', async () => {
    const l = await listen('s3cret-token');
    await expect(open(l.url)).rejects.toThrow('HTTP 401');
    await expect(open(l.url, { authorization: 'Bearer wrong' })).rejects.toThrow('HTTP 401');
    const ws = await open(l.url, { authorization: 'Bearer s3cret-token' });
    const reply = nextMessage(ws);
    ws.send(JSON.stringify(INIT));
    expect(await reply).toMatchObject({ id: 1, result: expect.any(Object) });
    ws.close();
  });

  it('a frame over the size limit closes that socket (1009); the server stays up', async () => {
    const home = tempHome();
    server = await AppServer.create({
      env: { CODEX_HOME: home },
      logger: createLogger({ format: 'json', write: () => {} }),
      maxMessageBytes: 1024,
    });
    const l = await server.listen('127.0.0.1', 0);
    const big = await open(l.url);
    const closed = new Promise<number>((resolve) => big.once('close', (code) => resolve(code)));
    big.send('x'.repeat(4096));
    expect(await closed).toBe(1009);
    const ws = await open(l.url);
    const reply = nextMessage(ws);
    ws.send(JSON.stringify(INIT));
    expect(await reply).toMatchObject({ id: 1 });
    ws.close();
  });
});

describe('cli', () => {
  it('parses --listen and --ws-auth as upstream spells them', () => {
    expect(parseCliArgs([])).toEqual({ listen: { kind: 'stdio' }, wsTokenFile: undefined });
    expect(
      parseCliArgs([
        '--listen',
        'ws://127.0.0.1:4500',
        '--ws-auth',
        'capability-token',
        '--ws-token-file',
        'f',
      ]),
    ).toEqual({ listen: { kind: 'ws', host: '127.0.0.1', port: 4500 }, wsTokenFile: 'f' });
    expect(() => parseCliArgs(['--listen', 'http://x:1'])).toThrow(
      '--listen must be stdio:// or ws://IP:PORT',
    );
    expect(() => parseCliArgs(['--ws-auth', 'signed-bearer-token'])).toThrow(
      '--ws-auth: unsupported mode signed-bearer-token (supported: capability-token)',
    );
  });

  it('over stdio: answers, logs to stderr (JSON with LOG_FORMAT=json), exits 0 when stdin closes', async () => {
    const home = tempHome();
    writeFileSync(
      join(home, 'auth.json'),
      JSON.stringify({ OPENAI_API_KEY: 'sk-secret-value', auth_mode: 'apikey' }),
    );
    const child = spawn(process.execPath, [CLI], {
      env: { PATH: process.env.PATH ?? '', CODEX_HOME: home, LOG_FORMAT: 'json' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdin.write(`${JSON.stringify(INIT)}\n`);
    child.stdin.write(`${JSON.stringify({ id: 2, method: 'account/read', params: {} })}\n`);
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const messages = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(messages).toContainEqual({
      id: 2,
      result: { account: { type: 'apiKey' }, requiresOpenaiAuth: true, userId: null, workspaceRouting: null },
    });
    const logLines = stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(logLines[0]).toMatchObject({ level: 'info', msg: 'app-server configured', codexHome: home });
    expect(stderr).not.toContain('sk-secret-value');
  });
});
