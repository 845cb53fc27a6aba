import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertionHeader, backend, json, postJson } from './helpers.js';

function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let out = '';
    socket.on('data', (c) => {
      out += c.toString();
    });
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

describe('bad input', () => {
  it('answers malformed JSON, wrong content types and missing bodies with 4xx reasons', async () => {
    const b = await backend();
    const headers = { authorization: await assertionHeader(b) };
    const url = `${b.chatgptBaseUrl}/codex/analytics-events/events`;
    const cases: Array<[RequestInit, number, string]> = [
      [
        { headers: { ...headers, 'content-type': 'application/json' }, body: '{"events": [' },
        400,
        'invalid_json',
      ],
      [
        { headers: { ...headers, 'content-type': 'text/plain' }, body: '{"events": []}' },
        415,
        'unsupported_media_type',
      ],
      [{ headers, body: '{"events": []}' }, 415, 'unsupported_media_type'],
      [{ headers: { ...headers, 'content-type': 'application/json' } }, 400, 'missing_body'],
      [{ headers: { ...headers, 'content-type': 'application/json' }, body: '[1,2]' }, 400, 'invalid_body'],
      [{ headers: { ...headers, 'content-type': 'application/json' }, body: 'null' }, 400, 'invalid_body'],
      [
        {
          headers: { ...headers, 'content-type': 'application/json', 'content-encoding': 'zstd' },
          body: '{}',
        },
        400,
        'invalid_content_encoding',
      ],
      [
        {
          headers: { ...headers, 'content-type': 'application/json', 'content-encoding': 'gzip' },
          body: '{}',
        },
        415,
        'unsupported_content_encoding',
      ],
    ];
    for (const [init, status, code] of cases) {
      const res = await fetch(url, { method: 'POST', ...init });
      expect([res.status, (await json(res)).error.code]).toEqual([status, code]);
    }
    const token = await fetch(b.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: '<x/>',
    });
    expect([token.status, (await json(token)).error.code]).toEqual([415, 'unsupported_media_type']);
    expect((await fetch(`${b.chatgptBaseUrl}/wham/usage`, { headers })).status).toBe(200);
  });

  it('caps bodies with 413 whether or not the length is declared', async () => {
    const b = await backend({ maxBodyBytes: 1024 });
    const headers = { authorization: await assertionHeader(b), 'content-type': 'application/json' };
    const big = JSON.stringify({ events: [{ event_type: 'x'.repeat(4096) }] });
    const declared = await fetch(`${b.chatgptBaseUrl}/codex/analytics-events/events`, {
      method: 'POST',
      headers,
      body: big,
    });
    expect([declared.status, (await json(declared)).error.code]).toEqual([413, 'body_too_large']);
    const port = Number(new URL(b.url).port);
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          port,
          host: '127.0.0.1',
          method: 'POST',
          path: '/backend-api/codex/analytics-events/events',
          headers,
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => {
            body += c.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 8; i++) req.write('x'.repeat(512));
      req.end();
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error.code).toBe('body_too_large');
    expect((await fetch(`${b.chatgptBaseUrl}/wham/usage`, { headers })).status).toBe(200);
  });

  it('reads zstd bodies as upstream sends them; one that would expand too far, or lies about its size, is a 413', async () => {
    const b = await backend({ maxBodyBytes: 1024 * 1024 });
    const url = `${b.chatgptBaseUrl}/codex/analytics-events/events`;
    const post = async (body: Uint8Array) => {
      const headers = {
        authorization: await assertionHeader(b),
        'content-type': 'application/json',
        'content-encoding': 'zstd',
      };
      const res = await fetch(url, { method: 'POST', headers, body });
      return [res.status, res.status === 202 ? 'accepted' : (await json(res)).error.code];
    };
    // `{"events": []}`, compressed by the zstd tool.
    expect(await post(Buffer.from('KLUv/QRocQAAeyJldmVudHMiOiBbXX04cehz', 'base64'))).toEqual([
      202,
      'accepted',
    ]);
    // 2,000,000 zero bytes in 82 bytes: decoding stops past the 1 MiB cap.
    const zeros = Buffer.from(
      'KLUv/QRoTAAACAABAPz/ORACAgAQAAIAEAACABAAAgAQAAIAEAACABAAAgAQAAIAEAACABAAAgAQAAIAEAACABAAAgAQAAIAEAADJAQADsl01w==',
      'base64',
    );
    expect(await post(zeros)).toEqual([413, 'body_too_large']);
    // 13 bytes declaring a 520 MB single-segment frame (the decoder would allocate it all): refused unread.
    const declaresHuge = Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0xa0, 0, 0, 0, 0x1f, 0x09, 0, 0, 0x41]);
    expect(await post(declaresHuge)).toEqual([413, 'body_too_large']);
    // A whole frame cut short.
    expect(await post(Buffer.from('KLUv/QRocQAAeyJldmVudHMi', 'base64'))).toEqual([
      400,
      'invalid_content_encoding',
    ]);
  });

  it('rejects invalid base64 in assertions, signatures and keys with reasons', async () => {
    const b = await backend();
    const header = await assertionHeader(b);
    const token = header.slice('AgentAssertion '.length);
    const claims = JSON.parse(Buffer.from(token, 'base64url').toString());
    const mangled = Buffer.from(JSON.stringify({ ...claims, signature: '***' })).toString('base64url');
    for (const value of [
      `AgentAssertion ${mangled}`,
      `AgentAssertion ${token}=`,
      'AgentAssertion',
      'AgentAssertion  ',
    ]) {
      const res = await fetch(`${b.chatgptBaseUrl}/wham/usage`, { headers: { authorization: value } });
      expect(res.status).toBe(401);
      expect(['malformed_assertion', 'bad_signature']).toContain(
        res.headers.get('x-openai-authorization-error'),
      );
    }
    const runtime = b.identities()[0]!.agentRuntimeId;
    const res = await postJson(`${b.chatgptBaseUrl}/v1/agent/${runtime}/task/register`, {
      timestamp: `${new Date().toISOString().slice(0, 19)}Z`,
      signature: 'not base64!',
    });
    expect([res.status, (await json(res)).error.code]).toEqual([400, 'malformed_registration']);
  });

  it('survives odd request targets, unknown routes, wrong methods and garbage on the socket', async () => {
    const b = await backend();
    const port = Number(new URL(b.url).port);
    expect((await fetch(`${b.url}/nowhere`)).status).toBe(404);
    const wrong = await fetch(`${b.chatgptBaseUrl}/wham/usage`, { method: 'DELETE' });
    expect([wrong.status, wrong.headers.get('allow')]).toEqual([405, 'GET']);
    const percent = await fetch(`${b.chatgptBaseUrl}/wham/tasks/%E0%A4%A`);
    expect(percent.status).toBe(404);
    const absolute = await rawRequest(
      port,
      'GET http://evil.example/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(absolute).toMatch(/^HTTP\/1\.1 400/);
    const garbage = await rawRequest(port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400/);
    const ws = await rawRequest(
      port,
      'GET /backend-api/nope HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    expect(ws).toMatch(/^HTTP\/1\.1 404/);
    expect((await fetch(`${b.url}/dev/state`)).status).toBe(200);
  });
});

describe('large bodies', () => {
  it('answers a multi-megabyte streamed body with 413 instead of a reset', async () => {
    const b = await backend();
    const headers = { authorization: `Bearer ${(await b.issueTokens()).access_token}` };
    const chunk = new Uint8Array(64 * 1024).fill(120);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 64) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${b.chatgptBaseUrl}/files`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect([res.status, (await json(res)).error.code]).toEqual([413, 'body_too_large']);
  });
});
