/** Safe one-line description of a failure for logs and fallback reasons (no bodies, no secrets). */
export function describeFailure(err: unknown): string {
  const e = err as { operation?: string; code?: string; status?: number; name?: string };
  if (e && typeof e.code === 'string') {
    return `${e.operation ?? e.name ?? 'error'}: ${e.code}${e.status !== undefined ? ` ${e.status}` : ''}`;
  }
  return (err as Error)?.name ?? 'error';
}
