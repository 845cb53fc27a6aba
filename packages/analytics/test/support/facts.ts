import type { AnalyticsFact, TrackingContext } from '../../src/index.js';

export const tracking: TrackingContext = { threadId: 'thread-1', turnId: 'turn-1', modelSlug: 'gpt-5' };

export const threadInitialized: AnalyticsFact = {
  type: 'thread_initialized',
  threadId: 'thread-1',
  client: { name: 'vscode', version: '1.2.3', rpcTransport: 'stdio', experimentalApiEnabled: true },
  model: 'gpt-5',
  ephemeral: false,
  threadSource: 'user',
  initializationMode: 'new',
  createdAt: 1_700_000_000,
};

export function appUsed(connectorId: string | null, turnId = 'turn-1'): AnalyticsFact {
  return {
    type: 'app_used',
    tracking: { ...tracking, turnId },
    app: { connectorId, appName: connectorId ? `App ${connectorId}` : null, invocationType: 'explicit' },
  };
}

export const fingerprints: AnalyticsFact = {
  type: 'accepted_line_fingerprints',
  threadId: 'thread-1',
  turnId: 'turn-1',
  productSurface: 'codex',
  modelSlug: 'gpt-5',
  completedAt: 1_700_000_100,
  acceptedAddedLines: 2,
  acceptedDeletedLines: 1,
  lineFingerprints: [{ pathHash: 'p1', lineHash: 'l1' }],
};

export const runtime = {
  codex_rs_version: '9.9.9',
  runtime_os: 'linux',
  runtime_os_version: '6.1',
  runtime_arch: 'x86_64',
};

/** A logger that keeps what it was told. */
export function recordingLogger(): { warn(message: string): void; messages: string[] } {
  const messages: string[] = [];
  return { messages, warn: (message) => messages.push(message) };
}
