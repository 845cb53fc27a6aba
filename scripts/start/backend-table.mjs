// What the dev backend saw: its request log (the list `GET /dev/requests` serves), printed a step at a time.
// Ids, schemes and task kinds only: the log never holds a secret.

/** One line per request: status, method, path, how it was authorized, for which task. */
export function formatRequest(r) {
  const auth = [
    r.authScheme,
    r.taskKind && `${r.taskKind} task`,
    r.taskId && `task=${r.taskId.length > 20 ? `${r.taskId.slice(0, 20)}…` : r.taskId}`,
  ]
    .filter(Boolean)
    .join(' ');
  return `    ${r.status} ${r.method.padEnd(4)} ${r.path.padEnd(40)} ${auth}`;
}

/**
 * `flush(label)` prints the requests logged since the last flush (none: says so, unless `quiet`); `summary()`
 * counts every request of the run by how it was authorized.
 */
export function printRequests(backend, out) {
  let seen = 0;
  const logged = () => backend.requests().filter((r) => !r.path.startsWith('/dev/'));
  return {
    flush(label = 'backend saw', { quiet = false } = {}) {
      const fresh = logged().filter((r) => r.id > seen);
      for (const r of backend.requests()) seen = Math.max(seen, r.id);
      if (fresh.length === 0 && quiet) return fresh;
      out(fresh.length === 0 ? `  ${label}: nothing` : `  ${label}:`);
      for (const r of fresh) out(formatRequest(r));
      return fresh;
    },
    summary() {
      const counts = new Map();
      for (const r of logged()) {
        const key =
          r.taskKind && r.authScheme === 'assertion' ? `assertion (${r.taskKind} task)` : r.authScheme;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      return `${total} backend requests: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}`;
    },
  };
}
