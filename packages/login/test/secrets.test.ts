import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { fetchWithAuth } from '@codex-ts/auth-provider';
import { describe, expect, it } from 'vitest';
import { AuthManager } from '../src/index.js';
import {
  captureLogger,
  chatgptHome,
  type DevBackend,
  decodeAssertion,
  managerFor,
  req,
  useDevBackend,
} from './helpers.js';

let backend: DevBackend;
useDevBackend((b) => {
  backend = b;
});

describe('secrets never leak', () => {
  it('not in logs, errors, util.inspect or JSON of our objects', async () => {
    const log = captureLogger();
    const { home, tokens } = await chatgptHome(backend, { issue: { expiresIn: 60 } });
    const m = await managerFor(backend, home, { log });
    const p = m.defaultProvider();
    const tp = m.threadProvider('thread-s');
    const surfaces: unknown[] = [];

    const h = await p.headers(req(backend)); // refresh + identity + background task
    const th = await tp.headers(req(backend));
    const doc = JSON.parse(readFileSync(join(home, 'auth.json'), 'utf8'));
    const secrets = [
      tokens.access_token,
      tokens.refresh_token,
      tokens.id_token,
      doc.tokens.access_token,
      doc.tokens.refresh_token,
      doc.tokens.id_token,
      doc.codex_ts_agent_identity.agent_private_key,
      h.Authorization!.slice('AgentAssertion '.length),
      decodeAssertion(h.Authorization!).signature,
      th.Authorization!.slice('AgentAssertion '.length),
      'sk-super-secret-api-key',
    ];

    // recovery paths that log
    backend.forgetTask(decodeAssertion(h.Authorization!).task_id);
    expect((await fetchWithAuth(p, `${backend.chatgptBaseUrl}/wham/usage`)).status).toBe(200);
    backend.setClockOffset(3600);
    await fetchWithAuth(p, `${backend.chatgptBaseUrl}/wham/usage`);
    backend.setClockOffset(0);
    // refresh failures
    backend.injectFault({
      path: '/oauth/token',
      status: 401,
      count: 1,
      body: { error: { code: 'refresh_token_reused' } },
    });
    surfaces.push(await m.refresh().catch((e) => e));
    backend.injectFault({
      path: '/oauth/token',
      status: 500,
      count: 1,
      body: { error: tokens.refresh_token },
    });
    const m2 = await managerFor(backend, home, { log });
    surfaces.push(await m2.refresh().catch((e) => e));
    // registration failure → fallback warning
    const { home: home3 } = await chatgptHome(backend);
    const m3 = await managerFor(backend, home3, { log });
    backend.injectFault({ path: '/backend-api/authenticate_app_v2', status: 503, count: 3 });
    await m3.defaultProvider().headers(req(backend));
    // thread task failure error
    backend.injectFault({ path: '/backend-api/v1/agent/*/task/register', status: 400, count: 1 });
    surfaces.push(
      await tp
        .headers(req(backend))
        .then(() => m.threadProvider('thread-fail').headers(req(backend)))
        .catch((e) => e),
    );
    // corrupt file error
    const corruptHome = (await chatgptHome(backend)).home;
    writeFileSync(join(corruptHome, 'auth.json'), `{"OPENAI_API_KEY": "sk-super-secret-api-key",`);
    surfaces.push(await AuthManager.create({ codexHome: corruptHome, env: {} }).catch((e) => e));
    // api key auth objects
    const mk = await managerFor(backend, (await chatgptHome(backend)).home, {
      env: { CODEX_API_KEY: 'sk-super-secret-api-key' },
      log,
    });
    surfaces.push(mk, mk.authCached(), mk.defaultProvider());

    surfaces.push(
      m,
      m.authCached(),
      p,
      tp,
      m.bootstrapProvider(),
      await m.status(),
      p.describe(req(backend)),
      tp.describe(req(backend)),
    );
    const rendered = [
      log.text(),
      ...surfaces.map((s) => inspect(s, { depth: 10, showHidden: false })),
      ...surfaces.map((s) => {
        try {
          return JSON.stringify(s);
        } catch {
          return '';
        }
      }),
      ...surfaces
        .filter((s): s is Error => s instanceof Error)
        .flatMap((e) => [e.message, e.stack ?? '', inspect(e.cause, { depth: 10 })]),
    ].join('\n');
    expect(surfaces.filter((s) => s instanceof Error)).toHaveLength(4);
    expect(log.text()).toContain('falling back to bearer');
    for (const s of secrets) {
      expect(s.length).toBeGreaterThan(10);
      expect(rendered.includes(s), `leaked ${s.slice(0, 8)}…`).toBe(false);
    }
  });

  it('the default pino logger redacts credential fields', async () => {
    const log = captureLogger();
    log.logger.warn(
      { authorization: 'Bearer abc', headers: { Authorization: 'AgentAssertion xyz' }, access_token: 'tok' },
      'x',
    );
    expect(log.text()).not.toMatch(/abc|xyz|tok"/);
    expect(log.text()).toContain('[redacted]');
  });
});
