import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AuthManager } from '@codex-ts/login';
import type { AppLogger } from './logger.js';
import {
  CLIENT_ID,
  exchangeCode,
  type IssuedTokens,
  OAuthError,
  pkcePair,
  postJson,
} from './oauth-client.js';

export interface LoginFlowsOptions {
  readonly issuer: string;
  readonly auth: AuthManager;
  readonly logger: AppLogger;
  /** Port of the loopback callback server (upstream: 1455; 0 = any free port). */
  readonly callbackPort: number;
  /** Overrides the issuer's device-code polling interval (ms). */
  readonly devicePollMs?: number;
  /** Told when a login finishes: `error` undefined on success. */
  readonly onCompleted: (loginId: string, error: string | undefined) => void;
}

interface ActiveLogin {
  readonly id: string;
  readonly abort: AbortController;
  readonly server?: Server;
}

export const NOT_COMPLETED = 'Login server error: Login was not completed';

function successPage(): string {
  return '<!doctype html><html><head><meta charset="utf-8"><title>Signed in</title></head><body><h1>Signed in to Codex</h1><p>You can close this window.</p></body></html>';
}

/** The browser (PKCE + loopback callback) and device-code sign-ins; one at a time, as upstream. */
export class LoginFlows {
  readonly #o: LoginFlowsOptions;
  #active: ActiveLogin | undefined;

  constructor(options: LoginFlowsOptions) {
    this.#o = options;
  }

  /** Starts the browser flow; resolves once the callback server listens. */
  async startBrowser(originator: string): Promise<{ loginId: string; authUrl: string }> {
    this.cancelActive();
    const id = randomUUID();
    const abort = new AbortController();
    const { verifier, challenge } = pkcePair();
    const state = randomBytes(32).toString('base64url');
    let redirectUri = '';
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/auth/callback') {
        res.writeHead(404).end();
        return;
      }
      const code = url.searchParams.get('code');
      if (url.searchParams.get('state') !== state || !code) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('State mismatch or missing code.\n');
        return;
      }
      void this.#finish(id, exchangeCode(this.#o.issuer, code, redirectUri, verifier, abort.signal)).then(
        (ok) => {
          res
            .writeHead(ok ? 200 : 500, { 'content-type': 'text/html; charset=utf-8' })
            .end(ok ? successPage() : 'Sign-in failed; see the app.\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#o.callbackPort, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : this.#o.callbackPort;
    redirectUri = `http://localhost:${port}/auth/callback`;
    this.#active = { id, abort, server };
    const authUrl = new URL(`${this.#o.issuer}/oauth/authorize`);
    for (const [k, v] of Object.entries({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: redirectUri,
      scope: 'openid profile email offline_access',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      id_token_add_organizations: 'true',
      codex_cli_simplified_flow: 'true',
      state,
      originator,
    })) {
      authUrl.searchParams.set(k, v);
    }
    return { loginId: id, authUrl: authUrl.toString() };
  }

  /** Starts the device-code flow; polls in the background until approved, expired or cancelled. */
  async startDeviceCode(): Promise<{ loginId: string; verificationUrl: string; userCode: string }> {
    this.cancelActive();
    const issuer = this.#o.issuer;
    const res = await postJson(`${issuer}/api/accounts/deviceauth/usercode`, { client_id: CLIENT_ID });
    if (!res.ok) throw new OAuthError(`failed to request device code: status ${res.status}`, res.status);
    const body = (await res.json()) as Record<string, unknown>;
    const deviceAuthId = body.device_auth_id;
    const userCode = body.user_code ?? body.usercode;
    if (typeof deviceAuthId !== 'string' || typeof userCode !== 'string') {
      throw new OAuthError('failed to request device code: the answer has no device_auth_id/user_code');
    }
    const intervalMs = this.#o.devicePollMs ?? Math.max(1, Number(body.interval) || 5) * 1000;
    const id = randomUUID();
    const abort = new AbortController();
    this.#active = { id, abort };
    void this.#finish(id, this.#pollDevice(deviceAuthId, userCode, intervalMs, abort.signal));
    return { loginId: id, verificationUrl: `${issuer}/codex/device`, userCode };
  }

  async #pollDevice(deviceAuthId: string, userCode: string, intervalMs: number, signal: AbortSignal) {
    const issuer = this.#o.issuer;
    for (;;) {
      const res = await postJson(
        `${issuer}/api/accounts/deviceauth/token`,
        { device_auth_id: deviceAuthId, user_code: userCode },
        signal,
      );
      if (res.ok) {
        const b = (await res.json()) as Record<string, unknown>;
        if (typeof b.authorization_code !== 'string' || typeof b.code_verifier !== 'string') {
          throw new OAuthError('device authorization answered without a code');
        }
        return exchangeCode(
          issuer,
          b.authorization_code,
          `${issuer}/deviceauth/callback`,
          b.code_verifier,
          signal,
        );
      }
      await res.body?.cancel();
      if (res.status !== 403 && res.status !== 404) {
        throw new OAuthError(`device authorization failed with status ${res.status}`, res.status);
      }
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, intervalMs);
        signal.addEventListener('abort', () => {
          clearTimeout(t);
          reject(signal.reason);
        });
      });
    }
  }

  async #finish(id: string, tokens: Promise<IssuedTokens>): Promise<boolean> {
    try {
      const t = await tokens;
      if (this.#active?.id !== id) return false;
      await this.#o.auth.saveChatgptTokens(t);
      this.#end(id);
      this.#o.onCompleted(id, undefined);
      return true;
    } catch (err) {
      if (this.#active?.id !== id) return false;
      this.#o.logger.warn({ loginId: id, error: err }, 'sign-in failed');
      this.#end(id);
      this.#o.onCompleted(id, `Login server error: ${(err as Error).message}`);
      return false;
    }
  }

  /** Cancels a login by id. */
  cancel(loginId: string): 'canceled' | 'notFound' {
    if (this.#active?.id !== loginId) return 'notFound';
    this.#end(loginId);
    this.#o.onCompleted(loginId, NOT_COMPLETED);
    return 'canceled';
  }

  /** A new login replaces the previous one. */
  cancelActive(): void {
    if (this.#active) this.cancel(this.#active.id);
  }

  #end(id: string): void {
    const a = this.#active;
    if (a?.id !== id) return;
    this.#active = undefined;
    a.abort.abort(new Error('login cancelled'));
    a.server?.close();
    a.server?.closeIdleConnections();
  }
}
