/** True for an error that says the same call may succeed later. */
export function isRetryable(err: unknown): boolean {
  return (err as { retryable?: unknown } | undefined)?.retryable === true;
}

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

/** How often a registration call is tried, and the pause before try n (n × `delayMs`). */
export interface AttemptPolicy {
  readonly attempts: number;
  readonly delayMs: number;
}

/** Runs `op` up to `policy.attempts` times while it fails with a retryable error. */
export async function withAttempts<T>(policy: AttemptPolicy, op: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (attempt >= policy.attempts || !isRetryable(err)) throw err;
      await sleep(policy.delayMs * attempt);
    }
  }
}
