import type { AuthProvider } from '@codex-ts/auth-provider';
import { describeAuthProviderContract } from '@codex-ts/auth-provider/testing';
import { startDevBackend } from '@codex-ts/dev-backend';
import { AuthManager } from '../src/index.js';
import { captureLogger, chatgptHome, managerFor, storedAuth, tempHome } from './helpers.js';

type Scope = 'default' | 'background' | 'bootstrap' | 'thread';

function providerOf(m: AuthManager, scope: Scope): AuthProvider {
  if (scope === 'thread') return m.threadProvider('contract-thread');
  if (scope === 'background') return m.backgroundProvider();
  if (scope === 'bootstrap') return m.bootstrapProvider();
  return m.defaultProvider();
}

for (const flag of [true, false]) {
  for (const scope of ['default', 'background', 'bootstrap', 'thread'] as const) {
    describeAuthProviderContract(
      `login ${scope} provider, agent identity ${flag ? 'on' : 'off'}`,
      async () => {
        const backend = await startDevBackend();
        const { home, tokens } = await chatgptHome(backend, { flag });
        const m = await managerFor(backend, home);
        const provider = providerOf(m, scope);
        const http = { url: new URL(`${backend.chatgptBaseUrl}/wham/usage`), method: 'GET' };
        const ws = {
          url: new URL(`${backend.chatgptBaseUrl.replace('http:', 'ws:')}/codex/responses`),
          method: 'GET',
        };
        const secrets = [tokens.access_token, tokens.refresh_token, tokens.id_token];
        if (flag) {
          await provider.headers(http);
          const key = storedAuth(home).agent_identity?.agent_private_key;
          if (key) secrets.push(key);
        }
        return { provider, authorized: [http, ws], secrets, close: () => backend.close() };
      },
    );
  }
}

describeAuthProviderContract('login default provider, API key login', async () => {
  const m = await AuthManager.create({
    codexHome: tempHome(),
    env: { CODEX_API_KEY: 'sk-contract-key-0123456789' },
    logger: captureLogger().logger,
  });
  return {
    provider: m.defaultProvider(),
    authorized: [
      { url: new URL('https://chatgpt.com/backend-api/wham/usage'), method: 'GET' },
      { url: new URL('wss://chatgpt.com/backend-api/codex/responses'), method: 'GET' },
    ],
    secrets: ['sk-contract-key-0123456789'],
  };
});
