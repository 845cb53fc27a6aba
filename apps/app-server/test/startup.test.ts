import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SERVICES = fileURLToPath(new URL('../dist/services.js', import.meta.url));

/** The npm packages (CommonJS ones, as Node's module cache shows them) a fresh process holds after `code` ran. */
function packagesLoadedBy(code: string): string[] {
  const script = `
    const M = (await import('node:module')).default;
    ${code}
    const names = Object.keys(M._cache)
      .map((p) => (p.match(/node_modules\\/\\.pnpm\\/[^/]+\\/node_modules\\/((@[^/]+\\/)?[^/]+)/) ?? [])[1])
      .filter(Boolean);
    console.log(JSON.stringify([...new Set(names)].sort()));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

describe('cold start', () => {
  it('loading the services does not load undici, ws, the MCP SDK’s validator or pino: they load on first use', () => {
    const loaded = packagesLoadedBy(`await import(${JSON.stringify(SERVICES)});`);
    expect(loaded).toContain('proper-lockfile'); // the probe sees login's dependencies
    expect(loaded.filter((name) => ['undici', 'ws', 'ajv', 'pino'].includes(name))).toEqual([]);
  });

  it('the probe sees them once they are used', () => {
    const loaded = packagesLoadedBy(
      `await import('ws'); await import('@codex-ts/mcp'); (await import('@codex-ts/login')).defaultLogger();`,
    );
    expect(loaded.filter((name) => ['ws', 'ajv', 'pino'].includes(name))).toEqual(['ajv', 'pino', 'ws']);
  });
});
