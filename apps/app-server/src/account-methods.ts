import { accountOf, accountUpdated, loginCompleted, workspaceRoutingOf } from './account-wire.js';
import type { AppContext } from './app-context.js';
import { internalError, invalidRequest } from './jsonrpc.js';
import { isJwtShaped } from './jwt-shape.js';
import { defineMethod, type MethodSpec } from './method.js';
import { revokeRefreshToken } from './oauth-client.js';
import { bool, object, oneOfStrings, optional, str, tagged } from './params.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const accountRead = defineMethod<{ refreshToken?: boolean | undefined }, AppContext>({
  params: object('GetAccountParams', { refreshToken: optional(bool()) }),
  async handle({ params, app }) {
    if (params.refreshToken && app.auth.authCached()?.mode === 'chatgpt') {
      await app.auth.refresh().catch((err: unknown) => {
        app.logger.warn({ error: err }, 'proactive token refresh failed');
      });
    }
    const auth = await app.auth.auth();
    return {
      account: accountOf(auth),
      userId: auth?.isChatgpt() ? (auth.chatgptUserId() ?? null) : null,
      requiresOpenaiAuth: app.config.modelProvider === 'openai',
      workspaceRouting: workspaceRoutingOf(auth, app.config.chatgptBaseUrl),
    };
  },
});

const loginParams = tagged('LoginAccountParams', 'type', {
  apiKey: object('ApiKey', { apiKey: str() }),
  chatgpt: object('Chatgpt', {
    appBrand: optional(oneOfStrings(['codex', 'chatgpt'] as const)),
    codexStreamlinedLogin: optional(bool()),
    useHostedLoginSuccessPage: optional(bool()),
  }),
  chatgptDeviceCode: object('ChatgptDeviceCode', {}),
  chatgptAuthTokens: object('ChatgptAuthTokens', {
    accessToken: str(),
    chatgptAccountId: str(),
    chatgptPlanType: optional(str()),
  }),
});

type LoginParams =
  | { type: 'apiKey'; apiKey: string }
  | { type: 'chatgpt' }
  | { type: 'chatgptDeviceCode' }
  | { type: 'chatgptAuthTokens'; accessToken: string; chatgptAccountId: string };

const loginStart = defineMethod<LoginParams, AppContext>({
  params: loginParams as never,
  async handle({ params, connection, app, after }) {
    switch (params.type) {
      case 'apiKey': {
        if (params.apiKey.trim() === '') throw invalidRequest('Invalid request: apiKey must not be empty');
        app.logins.cancelActive();
        await app.auth.loginWithApiKey(params.apiKey);
        after(() => {
          app.clients.broadcast('account/login/completed', loginCompleted(null, null));
          app.clients.broadcast('account/updated', accountUpdated(app.auth.authCached()));
        });
        return { type: 'apiKey' };
      }
      case 'chatgptAuthTokens': {
        if (!isJwtShaped(params.accessToken)) {
          throw internalError('failed to set external auth: invalid ID token format');
        }
        app.logins.cancelActive();
        await app.auth.loginWithChatgptAuthTokens({
          idToken: params.accessToken,
          accessToken: params.accessToken,
          accountId: params.chatgptAccountId,
        });
        after(() => {
          app.clients.broadcast('account/login/completed', loginCompleted(null, null));
          app.clients.broadcast('account/updated', accountUpdated(app.auth.authCached()));
        });
        return { type: 'chatgptAuthTokens' };
      }
      case 'chatgpt': {
        const started = await app.logins.startBrowser(connection.clientName ?? 'codex-ts');
        return { type: 'chatgpt', ...started };
      }
      case 'chatgptDeviceCode': {
        const started = await app.logins.startDeviceCode().catch((err: unknown) => {
          throw internalError((err as Error).message);
        });
        return { type: 'chatgptDeviceCode', ...started };
      }
    }
  },
});

const loginCancel = defineMethod<{ loginId: string }, AppContext>({
  params: object('CancelLoginAccountParams', { loginId: str() }),
  handle({ params, app }) {
    if (!UUID.test(params.loginId)) throw invalidRequest(`invalid login id: ${params.loginId}`);
    return { status: app.logins.cancel(params.loginId) };
  },
});

const logout = defineMethod<undefined, AppContext>({
  params: undefined,
  async handle({ app, after }) {
    app.logins.cancelActive();
    const auth = app.auth.authCached();
    const refreshToken = auth?.mode === 'chatgpt' ? auth.refreshToken() : undefined;
    if (refreshToken) {
      await revokeRefreshToken(app.config.revokeTokenUrl, refreshToken).catch((err: unknown) => {
        app.logger.warn({ error: err }, 'could not revoke the refresh token; removing it locally anyway');
      });
    }
    await app.auth.logout();
    after(() => app.clients.broadcast('account/updated', { authMode: null, planType: null }));
    return {};
  },
});

/** Beyond upstream (experimental): the agent identity state, never a secret. */
const agentIdentityRead = defineMethod<undefined, AppContext>({
  params: undefined,
  experimental: true,
  async handle({ app }) {
    const { agentIdentity } = await app.auth.status();
    return {
      enabled: agentIdentity.enabled,
      state: agentIdentity.state,
      agentRuntimeId: agentIdentity.agentRuntimeId ?? null,
      backgroundTask: agentIdentity.backgroundTask,
      fallbackReason: agentIdentity.fallbackReason ?? null,
      fallbackSince: agentIdentity.fallbackSince ?? null,
    };
  },
});

export const accountMethods: ReadonlyArray<[string, MethodSpec<unknown, AppContext>]> = [
  ['account/read', accountRead],
  ['account/login/start', loginStart],
  ['account/login/cancel', loginCancel],
  ['account/logout', logout],
  ['account/agentIdentity/read', agentIdentityRead],
];
