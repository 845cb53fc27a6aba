export const AUTHORIZATION_HEADER = 'Authorization';
export const ACCOUNT_ID_HEADER = 'ChatGPT-Account-ID';
export const FEDRAMP_HEADER = 'X-OpenAI-Fedramp';

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
