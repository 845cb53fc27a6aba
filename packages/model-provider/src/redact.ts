/** The most of a response body an error keeps. */
export const ERROR_BODY_LIMIT = 512;

const CREDENTIAL = /\b(Bearer|AgentAssertion)\s+[A-Za-z0-9._~+/=-]+/g;

/**
 * A body fit for an error: every value the request sent as a credential removed, any `Bearer …` /
 * `AgentAssertion …` token replaced, cut to 512 characters.
 */
export function safeBody(body: string, sentSecrets: readonly string[] = []): string {
  let text = body;
  for (const secret of sentSecrets) {
    if (secret.length >= 8) text = text.split(secret).join('<redacted>');
  }
  text = text.replace(CREDENTIAL, '$1 <redacted>');
  return text.length > ERROR_BODY_LIMIT ? text.slice(0, ERROR_BODY_LIMIT) : text;
}

/** The credential parts of the headers a request sent (the values, and the token after a scheme word). */
export function credentialValues(headers: Readonly<Record<string, string>>): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'authorization') continue;
    values.push(value);
    const space = value.indexOf(' ');
    if (space !== -1) values.push(value.slice(space + 1));
  }
  return values;
}
