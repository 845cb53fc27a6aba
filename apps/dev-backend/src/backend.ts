import type { AddressInfo } from 'node:net';
import { createAnalyticsStore } from './analytics-store.js';
import type { App, ResolvedOptions } from './app.js';
import { createAppsMcpStore } from './apps-mcp-store.js';
import { BiscuitStore } from './biscuits.js';
import { Clock } from './clock.js';
import { seedCloudTask } from './cloud-task-seeding.js';
import { identitiesInfo, issueDevTokens, tasksInfo, usersInfo } from './dev.js';
import { FaultList } from './faults.js';
import { createFileStore } from './files-store.js';
import { ModelRequestLog } from './model-requests.js';
import { createOAuthStore } from './oauth-store.js';
import { loadState, saveState } from './persistence.js';
import { createEnrollmentStore } from './remote-control-store.js';
import { RequestLog } from './requests-log.js';
import { createHttpStack } from './server.js';
import { BackendState } from './state.js';
import { createDevTlsMaterial } from './tls.js';
import { writeCaFile } from './tls-files.js';
import { TokenService } from './tokens.js';
import type { DevBackend, DevBackendOptions } from './types.js';
import { startUploadHost } from './upload-host.js';
import { createCloudTaskStore } from './wham-store.js';

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number`);
  return value;
}

export function resolveOptions(o: DevBackendOptions): ResolvedOptions {
  const port = o.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError('port must be 0..65535');
  if (o.taskIdResponse !== undefined && o.taskIdResponse !== 'encrypted' && o.taskIdResponse !== 'plain') {
    throw new RangeError("taskIdResponse must be 'encrypted' or 'plain'");
  }
  return {
    port,
    host: o.host ?? '127.0.0.1',
    dataFile: o.dataFile,
    accessTokenTtlSeconds: positive(o.accessTokenTtlSeconds, 3600, 'accessTokenTtlSeconds'),
    refreshTokenTtlSeconds: positive(o.refreshTokenTtlSeconds, 30 * 86400, 'refreshTokenTtlSeconds'),
    taskIdResponse: o.taskIdResponse ?? 'encrypted',
    assertionWindowSeconds: positive(o.assertionWindowSeconds, 300, 'assertionWindowSeconds'),
    maxBodyBytes: positive(o.maxBodyBytes, 1024 * 1024, 'maxBodyBytes'),
    biscuitTtlSeconds: positive(o.biscuitTtlSeconds, 300, 'biscuitTtlSeconds'),
    maxRequestRecords: positive(o.maxRequestRecords, 1000, 'maxRequestRecords'),
    separateUploadHost: o.separateUploadHost ?? false,
  };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts the dev backend; resolves once it listens. */
export async function startDevBackend(options: DevBackendOptions = {}): Promise<DevBackend> {
  const resolved = resolveOptions(options);
  const persisted = resolved.dataFile ? loadState(resolved.dataFile) : undefined;
  const state = new BackendState(persisted);
  const clock = new Clock(options.clockOffsetSeconds ?? 0);
  const app: App = {
    options: resolved,
    clock,
    state,
    tokens: new TokenService(
      state,
      clock,
      () => app.url,
      resolved.accessTokenTtlSeconds,
      resolved.refreshTokenTtlSeconds,
    ),
    biscuits: new BiscuitStore(),
    log: new RequestLog(resolved.maxRequestRecords),
    modelRequests: new ModelRequestLog(resolved.maxRequestRecords),
    faults: new FaultList(),
    memory: {
      ...createOAuthStore(),
      ...createEnrollmentStore(),
      ...createCloudTaskStore(),
      ...createFileStore(),
      ...createAnalyticsStore(),
      ...createAppsMcpStore(),
    },
    url: '',
    uploadUrl: '',
  };
  const dataFile = resolved.dataFile;
  if (dataFile) {
    state.onChange = () => {
      try {
        saveState(dataFile, state.snapshot());
      } catch (error) {
        process.stderr.write(`dev-backend: could not save ${dataFile}: ${(error as Error).message}\n`);
      }
    };
    // The first save is not caught: a data file that cannot be written is a startup error.
    if (!persisted) saveState(dataFile, state.snapshot());
  }

  const tls = options.tls ? await createDevTlsMaterial() : undefined;
  const caFile = tls && options.tls ? await writeCaFile(tls.caPem, options.tls) : undefined;
  const { server, wss } = createHttpStack(app, tls);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  app.url = `${tls ? 'https' : 'http'}://${urlHost(resolved.host)}:${address.port}`;
  const uploadHost = resolved.separateUploadHost
    ? await startUploadHost(app, resolved.host, urlHost(resolved.host))
    : undefined;
  app.uploadUrl = uploadHost?.url ?? '';

  let closing: Promise<void> | undefined;
  const backend: DevBackend = {
    url: app.url,
    ...(caFile ? { caFile: caFile.path } : {}),
    chatgptBaseUrl: `${app.url}/backend-api`,
    uploadUrl: uploadHost?.url ?? app.url,
    issuer: app.url,
    tokenUrl: `${app.url}/oauth/token`,
    issueTokens: (o) => issueDevTokens(app, o),
    requests: (filter) => app.log.list(filter),
    clearRequests: () => {
      app.log.clear();
      app.modelRequests.clear();
    },
    modelRequests: () => app.modelRequests.list(),
    analyticsEvents: () => structuredClone(app.memory.analyticsEvents),
    injectFault: (fault) => {
      app.faults.add(fault);
    },
    clearFaults: () => app.faults.clear(),
    users: () => usersInfo(app),
    identities: () => identitiesInfo(app),
    tasks: () => tasksInfo(app),
    forgetIdentity: (id) => state.forgetIdentity(id),
    forgetTask: (id) => state.forgetTask(id),
    revokeRefreshTokens: (userId) => state.revokeRefreshTokens(userId),
    setClockOffset: (seconds) => clock.setOffset(seconds),
    seedCloudTask: (seed) => seedCloudTask(app, seed),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        for (const session of app.memory.appsMcpSessions.values()) void session.transport.close();
        wss.close();
        let open = uploadHost ? 2 : 1;
        const closed = () => {
          if (--open === 0) resolve();
        };
        server.close(closed);
        server.closeAllConnections();
        uploadHost?.server.close(closed);
        uploadHost?.server.closeAllConnections();
      }).then(() => caFile?.remove());
      return closing;
    },
  };
  return backend;
}
