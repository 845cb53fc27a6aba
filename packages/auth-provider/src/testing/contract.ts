import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAuthUnavailableError } from '../errors.js';
import { headerReader } from '../header-reader.js';
import { AUTHORIZATION_HEADER } from '../headers.js';
import { authorizationScheme } from '../scheme.js';
import type { AuthProvider, AuthRequest } from '../types.js';

/** What an implementation hands the contract suite. */
export interface ContractSubject {
  readonly provider: AuthProvider;
  /** Requests it authorizes with a credential (at least one). */
  readonly authorized: readonly AuthRequest[];
  /** A request it must refuse with an `AuthUnavailableError`, when it has such a case. */
  readonly refused?: AuthRequest;
  /** Values that must never show in `inspect`, `JSON.stringify` or `describe` (tokens, keys). */
  readonly secrets: readonly string[];
  close?(): Promise<void>;
}

const CANONICAL = new Map(
  ['Authorization', 'ChatGPT-Account-ID', 'X-OpenAI-Fedramp'].map((name) => [name.toLowerCase(), name]),
);

/**
 * The behaviour every `AuthProvider` promises, as a vitest suite. Run it from an implementation's tests:
 * `describeAuthProviderContract('bearer provider', async () => ({ provider, authorized, secrets }))`.
 */
export function describeAuthProviderContract(name: string, setup: () => Promise<ContractSubject>): void {
  describe(`AuthProvider contract: ${name}`, () => {
    let subject: ContractSubject;
    const minted: string[] = [];
    beforeAll(async () => {
      subject = await setup();
    });
    afterAll(async () => {
      await subject?.close?.();
    });

    const headersOf = async (request: AuthRequest) => {
      const headers = await subject.provider.headers(request);
      const credential = headers[AUTHORIZATION_HEADER];
      if (credential) minted.push(credential.slice(credential.indexOf(' ') + 1));
      return headers;
    };

    it('declares specificationVersion v1', () => {
      expect(subject.provider.specificationVersion).toBe('v1');
      expect(subject.authorized.length).toBeGreaterThan(0);
    });

    it('returns a fresh object of string headers in canonical case on every call', async () => {
      for (const request of subject.authorized) {
        const first = await headersOf(request);
        const second = await headersOf(request);
        expect(second).not.toBe(first);
        first['X-Mutated'] = 'yes';
        expect(second).not.toHaveProperty('X-Mutated');
        expect(authorizationScheme(second[AUTHORIZATION_HEADER])).not.toBe('none');
        for (const [header, value] of Object.entries(second)) {
          expect(typeof value).toBe('string');
          const canonical = CANONICAL.get(header.toLowerCase());
          if (canonical) expect(header).toBe(canonical);
        }
      }
    });

    it('describe(request) names the scheme headers(request) sends, and no secret', async () => {
      for (const request of subject.authorized) {
        const description = subject.provider.describe(request);
        const headers = await headersOf(request);
        expect(description.scheme).toBe(authorizationScheme(headers[AUTHORIZATION_HEADER]));
        expect(subject.provider.describe(request)).toEqual(description);
      }
    });

    it('never throws synchronously; an aborted signal rejects with its reason', async () => {
      const controller = new AbortController();
      const reason = new Error('caller went away');
      controller.abort(reason);
      const [request] = subject.authorized;
      let pending: Promise<unknown> | undefined;
      expect(() => {
        pending = subject.provider.headers({ ...request!, signal: controller.signal });
      }).not.toThrow();
      await expect(pending).rejects.toBe(reason);
    });

    it('refuses with a typed AuthUnavailableError, asynchronously', async () => {
      if (!subject.refused) return;
      let pending: Promise<unknown> | undefined;
      expect(() => {
        pending = subject.provider.headers(subject.refused!);
      }).not.toThrow();
      const error = await pending!.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAuthUnavailableError(error)).toBe(true);
      expect(typeof (error as { retryable: unknown }).retryable).toBe('boolean');
      expect(subject.provider.describe(subject.refused).scheme).toBe('none');
    });

    it('answers a 401 with a boolean and keeps working afterwards', async () => {
      const onUnauthorized = subject.provider.onUnauthorized;
      if (!onUnauthorized) return;
      const [request] = subject.authorized;
      const sent = await headersOf(request!);
      const verdict = await onUnauthorized.call(subject.provider, {
        request: request!,
        sentHeaders: headerReader(sent),
        response: { status: 401, headers: new Headers(), body: '' },
      });
      expect(typeof verdict).toBe('boolean');
      const again = await headersOf(request!);
      expect(authorizationScheme(again[AUTHORIZATION_HEADER])).not.toBe('none');
    });

    it('shows no secret in util.inspect, JSON.stringify or describe', async () => {
      for (const request of subject.authorized) await headersOf(request);
      const shown = [
        inspect(subject.provider, { depth: 8, showHidden: true, getters: true }),
        safeJson(subject.provider),
        ...subject.authorized.map((request) => JSON.stringify(subject.provider.describe(request))),
      ].join('\n');
      for (const secret of [...subject.secrets, ...minted]) {
        expect(secret.length).toBeGreaterThan(0);
        expect(shown).not.toContain(secret);
      }
    });
  });
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}
