// Runs every benchmark of this package, one after the other, even when one misses its goal; exits non-zero if any did.
import { spawnSync } from 'node:child_process';

const runs = [['app-server.bench.mjs'], ['threads.bench.mjs', '--expose-gc'], ['turn.bench.mjs']];
let failed = 0;
for (const [file, ...flags] of runs) {
  const { status } = spawnSync(process.execPath, [...flags, new URL(file, import.meta.url).pathname], {
    stdio: 'inherit',
  });
  if (status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
