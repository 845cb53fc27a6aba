import type { DevRequestRecord } from '@codex-ts/dev-backend';

/** Calls that authenticate themselves on purpose (bearer, biscuit, signature) or are the sign-in issuer. */
export function isBootstrap(r: DevRequestRecord): boolean {
  return (
    r.path === '/backend-api/authenticate_app_v2' ||
    r.path === '/backend-api/v1/agent/register' ||
    /^\/backend-api\/v1\/agent\/[^/]+\/task\/register$/.test(r.path) ||
    r.path.startsWith('/oauth/') ||
    r.path.startsWith('/api/accounts/')
  );
}

/** What the audit reports per non-bootstrap request: enough to see the scheme and the task it used. */
export function auditRow(r: DevRequestRecord): string {
  return `${r.method} ${r.path} ${r.status} ${r.authScheme}${r.taskKind ? `:${r.taskKind}` : ''}`;
}
