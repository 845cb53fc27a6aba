export const AUTHORIZATION_HEADER = 'Authorization';
export const ACCOUNT_ID_HEADER = 'ChatGPT-Account-ID';
export const FEDRAMP_HEADER = 'X-OpenAI-Fedramp';

/** Headers a provider owns: a caller's values for them never travel with a provider-authorized request. */
export const PROVIDER_HEADERS: readonly string[] = [AUTHORIZATION_HEADER, ACCOUNT_ID_HEADER, FEDRAMP_HEADER];

/** Routing facts that go with every ChatGPT backend request, whatever the credential. */
export interface AccountRouting {
  readonly accountId?: string | undefined;
  readonly isFedrampAccount?: boolean | undefined;
}

/** The routing headers for an account: `ChatGPT-Account-ID` when known, `X-OpenAI-Fedramp: true` for FedRAMP. */
export function accountRoutingHeaders(routing: AccountRouting): Record<string, string> {
  const headers: Record<string, string> = {};
  if (routing.accountId) headers[ACCOUNT_ID_HEADER] = routing.accountId;
  if (routing.isFedrampAccount) headers[FEDRAMP_HEADER] = 'true';
  return headers;
}
