import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type DevBackend, type DevBackendOptions, startDevBackend } from '@codex-ts/dev-backend';
import { Agent, fetch as undiciFetch } from 'undici';
import { expect, inject, type TestContext } from 'vitest';
import type { AppServerCommand } from '../src/app-server-session.js';
import {
  createCodexHome,
  type DevBackendConfigOptions,
  devBackendConfigToml,
  type TempCodexHome,
} from '../src/codex-home.js';
import { type RefusingProxy, startRefusingProxy } from '../src/refusing-proxy.js';
import { upstreamEnv } from '../src/upstream-env.js';
import { type UpstreamVersion, upstreamPlatformSupport } from '../src/upstream-releases.js';

export const platform = upstreamPlatformSupport();

/** A describe title that says why it is skipped where the platform has no upstream binary. */
export function upstreamTitle(title: string): string {
  return platform.supported ? title : `${title} [SKIPPED: ${platform.reason}]`;
}

export function upstreamBinary(version: UpstreamVersion): string {
  const binary = inject('upstreamBinaries')[version];
  if (!binary) throw new Error(`no upstream ${version} binary: the global setup did not fetch it`);
  return binary;
}

/** codex-ts's app-server CLI, run as upstream's binary is: over stdio. */
const OURS_APP_SERVER = fileURLToPath(new URL('./cli.js', import.meta.resolve('@codex-ts/app-server')));

/** Upstream 0.169's `codex app-server` in `world`. */
export function upstreamAppServer(world: UpstreamWorld): AppServerCommand {
  return { argv: [upstreamBinary('0.169.0'), 'app-server'], env: world.env, cwd: world.home.path };
}

/**
 * codex-ts's app-server in `world`. Node trusts the dev backend's throw-away CA through NODE_EXTRA_CA_CERTS (upstream
 * reads CODEX_CA_CERTIFICATE).
 */
export function oursAppServer(world: UpstreamWorld): AppServerCommand {
  return {
    argv: [process.execPath, OURS_APP_SERVER],
    env: { ...world.env, NODE_EXTRA_CA_CERTS: world.backend.caFile! },
    cwd: world.home.path,
  };
}

/**
 * The same scenario against upstream 0.169's app-server and codex-ts's, each in a world of its own, at once: both
 * results, and upstream's world (to run its binary again in).
 */
export async function sideBySide<T>(
  world: () => Promise<UpstreamWorld>,
  scenario: (world: UpstreamWorld, command: AppServerCommand) => Promise<T>,
): Promise<{ upstream: T; ours: T; upstreamWorld: UpstreamWorld }> {
  const upstreamWorld = await world();
  const oursWorld = await world();
  const [upstream, ours] = await Promise.all([
    scenario(upstreamWorld, upstreamAppServer(upstreamWorld)),
    scenario(oursWorld, oursAppServer(oursWorld)),
  ]);
  return { upstream, ours, upstreamWorld };
}

/** A dev backend, a refusing proxy and a CODEX_HOME pointed at both, for one test. */
export interface UpstreamWorld {
  backend: DevBackend;
  proxy: RefusingProxy;
  home: TempCodexHome;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startWorld(
  options: {
    backend?: DevBackendOptions;
    config?: Omit<DevBackendConfigOptions, 'chatgptBaseUrl'>;
    auth?: (backend: DevBackend) => Promise<unknown>;
    env?: Record<string, string | undefined>;
  } = {},
): Promise<UpstreamWorld> {
  const backend = await startDevBackend(options.backend ?? {});
  const proxy = await startRefusingProxy();
  const auth = options.auth ? await options.auth(backend) : undefined;
  const home = await createCodexHome({
    config: devBackendConfigToml({ chatgptBaseUrl: backend.chatgptBaseUrl, ...options.config }),
    auth,
  });
  const caFile = backend.caFile;
  const env = upstreamEnv({
    codexHome: home.path,
    origin: backend.url,
    proxyUrl: proxy.url,
    ...(caFile ? { caFile } : {}),
    ...(options.env ? { extra: options.env } : {}),
  });
  return {
    backend,
    proxy,
    home,
    env,
    close: async () => {
      // For information: what upstream tried to reach past the dev backend (tests fail on any outside target).
      console.info(`upstream-interop: ${proxySummary(proxy)}`);
      await Promise.all([backend.close(), proxy.close()]);
      await home.remove();
    },
  };
}

/**
 * A world for the test whose context is given, closed when that test finishes (the context's own hook, so it holds
 * for concurrent tests too); the test also fails if upstream tried to reach any non-loopback target.
 */
export async function useWorld(
  test: Pick<TestContext, 'onTestFinished'>,
  options: Parameters<typeof startWorld>[0] = {},
): Promise<UpstreamWorld> {
  const world = await startWorld(options);
  test.onTestFinished(async () => {
    try {
      expect(world.proxy.outsideAttempts(), proxySummary(world.proxy)).toEqual([]);
    } finally {
      await world.close();
    }
  });
  return world;
}

export interface RunResult {
  code: number | null;
  /** The signal that ended the process (e.g. SIGTERM after an abort), else null. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a binary to completion with stdin closed (or fed `input`), collecting its output. */
export function runProcess(
  argv: readonly string[],
  env: Record<string, string>,
  options: { cwd?: string; input?: string; signal?: AbortSignal } = {},
): Promise<RunResult> {
  const [executable, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(executable!, args, {
      env,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    // An aborted run (its signal fired) resolves like any other, with the signal that ended it.
    child.once('error', (error) => {
      if (error.name !== 'AbortError') reject(error);
    });
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** The proxy's refusals in one line, for logs and assertion messages. */
export function proxySummary(proxy: RefusingProxy): string {
  const targets = proxy.attempts.map((a) => `${a.method} ${a.target}`);
  return targets.length === 0
    ? 'the proxy saw no attempt'
    : `the proxy refused ${targets.length}: ${targets.join(', ')}`;
}

/** `node …/login/dist/cli.js`: the codex-ts login CLI, driven the way a user drives it. */
export function loginCli(): string[] {
  const index = new URL(import.meta.resolve('@codex-ts/login'));
  return [process.execPath, new URL('./cli.js', index).pathname];
}

/** A JSON request to the dev backend (its `/dev/*` helpers), trusting its CA when it serves TLS. */
export async function devRequest(backend: DevBackend, path: string, body?: unknown): Promise<unknown> {
  const dispatcher = backend.caFile
    ? new Agent({ connect: { ca: await readFile(backend.caFile, 'utf8') } })
    : undefined;
  try {
    const response = await undiciFetch(`${backend.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      ...(dispatcher ? { dispatcher } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
    return JSON.parse(text) as unknown;
  } finally {
    await dispatcher?.close();
  }
}
