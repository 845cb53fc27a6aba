import type { WebSocket } from 'ws';

/** The remote-control feature's in-memory store: enrolled app servers by server id (lost on restart). */
export interface Enrollment {
  serverId: string;
  environmentId: string;
  userId: string;
  accountId: string;
  name: string;
  os: string;
  arch: string;
  appServerVersion: string;
  installationId: string;
  remoteControlToken: string;
  expiresAtMs: number;
  /** Envelopes the app-server sent over the websocket, newest last. */
  received: unknown[];
  sockets: Set<WebSocket>;
  nextSeqId: number;
}

export interface EnrollmentStore {
  readonly enrollments: Map<string, Enrollment>;
}

export function createEnrollmentStore(): EnrollmentStore {
  return { enrollments: new Map() };
}
