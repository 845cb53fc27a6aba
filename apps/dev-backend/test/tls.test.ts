import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent, fetch as undiciFetch } from 'undici';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { backend } from './helpers.js';

// What upstream Codex 0.169 needs from the dev backend (issue 8 §2); tests/upstream-interop drives the real binary.

describe('--tls: HTTPS and WSS under a throw-away CA', () => {
  it('serves HTTPS for 127.0.0.1 and localhost to clients that trust the CA file, and removes it on close', async () => {
    const b = await backend({ tls: true });
    expect(b.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(b.chatgptBaseUrl).toBe(`${b.url}/backend-api`);
    const ca = await readFile(b.caFile!, 'utf8');
    expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
    const dispatcher = new Agent({ connect: { ca } });
    try {
      const tokens = await b.issueTokens();
      for (const host of ['127.0.0.1', 'localhost']) {
        const url = `${b.chatgptBaseUrl.replace('127.0.0.1', host)}/wham/usage`;
        const res = await undiciFetch(url, {
          dispatcher,
          headers: { authorization: `Bearer ${tokens.access_token}` },
        });
        expect([host, res.status]).toEqual([host, 200]);
        await res.text();
      }
      const untrusted = await undiciFetch(`${b.url}/dev/state`).then(
        () => 'connected',
        (error: Error & { cause?: { code?: string } }) => error.cause?.code,
      );
      expect(untrusted).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    } finally {
      await dispatcher.close();
    }
    const caFile = b.caFile!;
    await b.close();
    await expect(access(caFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('serves WSS Responses and names the https origin in workspace routing', async () => {
    const b = await backend({ tls: true });
    const ca = await readFile(b.caFile!, 'utf8');
    const tokens = await b.issueTokens();
    const ws = new WebSocket(`${b.chatgptBaseUrl.replace('https', 'wss')}/codex/responses`, {
      ca,
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    const types: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () =>
        ws.send(
          JSON.stringify({
            type: 'response.create',
            model: 'dev-echo',
            input: [{ role: 'user', content: 'hi' }],
          }),
        ),
      );
      ws.on('message', (data) => {
        const type = (JSON.parse(String(data)) as { type: string }).type;
        types.push(type);
        if (type === 'response.completed') resolve();
      });
    });
    ws.close();
    expect(types.at(0)).toBe('codex.rate_limits');
    const dispatcher = new Agent({ connect: { ca } });
    try {
      const res = await undiciFetch(`${b.chatgptBaseUrl}/wham/accounts/check`, {
        dispatcher,
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      const body = (await res.json()) as { accounts: { workspace_backend_origin: string }[] };
      expect(body.accounts[0]!.workspace_backend_origin).toBe(b.url);
    } finally {
      await dispatcher.close();
    }
  });

  it('the CLI: --tls prints the CA file, serves HTTPS with it, and removes it on SIGTERM', async () => {
    const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');
    const child = spawn(process.execPath, [cli, '--port', '0', '--tls'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const printed = [];
    for (let i = 0; i < 3; i++) printed.push((await lines.next()).value as string);
    const url = /^dev-backend listening on (https:\/\/127\.0\.0\.1:\d+)$/.exec(printed[0]!)?.[1];
    const caFile =
      /^ca certificate: (\S+) \(trust it with CODEX_CA_CERTIFICATE or NODE_EXTRA_CA_CERTS\)$/.exec(
        printed[2]!,
      )?.[1];
    expect({ url, caFile, base: printed[1] }).toEqual({
      url: expect.any(String),
      caFile: expect.stringMatching(/ca\.pem$/),
      base: `chatgpt base url: ${url}/backend-api`,
    });
    const dispatcher = new Agent({ connect: { ca: await readFile(caFile!, 'utf8') } });
    try {
      const res = await undiciFetch(`${url}/dev/state`, { dispatcher });
      expect(res.status).toBe(200);
      await res.text();
    } finally {
      await dispatcher.close();
    }
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    await expect(access(caFile!)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
