import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { ed25519PublicKeyObject } from '@codex-ts/agent-identity';
import { randomHex, randomUUIDString } from './ids.js';
import type { IssueTokensOptions, TaskKind } from './types.js';

export interface UserRecord {
  userId: string;
  email: string;
  plan: string;
  accountId: string;
  fedramp: boolean;
  createdAt: string;
}

export interface AbomRecord {
  agent_version: string;
  agent_harness_id: string;
  running_location: string;
}

export interface IdentityRecord {
  agentRuntimeId: string;
  publicKeySsh: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  userId: string;
  accountId: string;
  registeredAt: string;
  abom: AbomRecord;
  capabilities: string[];
}

export interface TaskRecord {
  agentRuntimeId: string;
  taskId: string;
  kind: TaskKind;
  externalTaskRef?: string;
  registeredAt: string;
}

export type RefreshTokenStatus = 'active' | 'rotated' | 'revoked';

export interface RefreshTokenRecord {
  /** SHA-256 of the token; the token itself is never stored. */
  hash: string;
  userId: string;
  clientId: string;
  status: RefreshTokenStatus;
  issuedAtMs: number;
  expiresAtMs: number;
}

/** What the data file holds (version 1). */
export interface PersistedState {
  version: 1;
  jwtSecret: string;
  users: UserRecord[];
  identities: IdentityRecord[];
  tasks: TaskRecord[];
  refreshTokens: RefreshTokenRecord[];
  revokedAccessTokenIds: string[];
}

export const DEFAULT_EMAIL = 'dev@example.com';
export const DEFAULT_PLAN = 'plus';

function refKey(agentRuntimeId: string, externalTaskRef: string): string {
  return `${agentRuntimeId}\u0000${externalTaskRef}`;
}

/** Users, identities, tasks and refresh tokens. Every mutation calls `onChange` (persistence). */
export class BackendState {
  readonly jwtSecret: Uint8Array;
  private readonly users = new Map<string, UserRecord>();
  private readonly identities = new Map<string, IdentityRecord>();
  private readonly keyObjects = new Map<string, KeyObject>();
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly tasksByRef = new Map<string, string>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly revokedAccessTokenIds = new Set<string>();
  onChange: () => void = () => {};

  constructor(persisted?: PersistedState) {
    this.jwtSecret = persisted ? Buffer.from(persisted.jwtSecret, 'base64') : randomBytes(32);
    if (!persisted) return;
    for (const u of persisted.users) this.users.set(u.userId, u);
    for (const i of persisted.identities) this.identities.set(i.agentRuntimeId, i);
    for (const t of persisted.tasks) this.putTask(t);
    for (const r of persisted.refreshTokens) this.refreshTokens.set(r.hash, r);
    for (const id of persisted.revokedAccessTokenIds) this.revokedAccessTokenIds.add(id);
  }

  snapshot(): PersistedState {
    return {
      version: 1,
      jwtSecret: Buffer.from(this.jwtSecret).toString('base64'),
      users: [...this.users.values()],
      identities: [...this.identities.values()],
      tasks: [...this.tasks.values()],
      refreshTokens: [...this.refreshTokens.values()],
      revokedAccessTokenIds: [...this.revokedAccessTokenIds],
    };
  }

  // ---- users

  listUsers(): UserRecord[] {
    return [...this.users.values()];
  }

  user(userId: string): UserRecord | undefined {
    return this.users.get(userId);
  }

  /** Finds the user by id, else by email (and account when given), else creates one; applies given fields. */
  ensureUser(o: IssueTokensOptions, at: Date): UserRecord {
    let user = o.userId ? this.users.get(o.userId) : undefined;
    if (!user && !o.userId) {
      const email = o.email ?? DEFAULT_EMAIL;
      user = [...this.users.values()].find(
        (u) => u.email === email && (o.accountId === undefined || u.accountId === o.accountId),
      );
    }
    if (!user) {
      user = {
        userId: o.userId ?? `user-${randomHex(12)}`,
        email: o.email ?? DEFAULT_EMAIL,
        plan: o.plan ?? DEFAULT_PLAN,
        accountId: o.accountId ?? randomUUIDString(),
        fedramp: o.fedramp ?? false,
        createdAt: at.toISOString(),
      };
      this.users.set(user.userId, user);
      this.onChange();
      return user;
    }
    const next: UserRecord = {
      ...user,
      ...(o.email !== undefined ? { email: o.email } : {}),
      ...(o.plan !== undefined ? { plan: o.plan } : {}),
      ...(o.accountId !== undefined ? { accountId: o.accountId } : {}),
      ...(o.fedramp !== undefined ? { fedramp: o.fedramp } : {}),
    };
    if (JSON.stringify(next) !== JSON.stringify(user)) {
      this.users.set(next.userId, next);
      this.onChange();
    }
    return next;
  }

  // ---- identities

  listIdentities(): IdentityRecord[] {
    return [...this.identities.values()];
  }

  identity(agentRuntimeId: string): IdentityRecord | undefined {
    return this.identities.get(agentRuntimeId);
  }

  /** One cached KeyObject per runtime, so assertion checks cost about one raw Ed25519 verify. */
  publicKeyFor(agentRuntimeId: string): KeyObject | undefined {
    const cached = this.keyObjects.get(agentRuntimeId);
    if (cached) return cached;
    const identity = this.identities.get(agentRuntimeId);
    if (!identity) return undefined;
    const key = ed25519PublicKeyObject(Buffer.from(identity.publicKey, 'base64'));
    this.keyObjects.set(agentRuntimeId, key);
    return key;
  }

  addIdentity(identity: IdentityRecord): void {
    this.identities.set(identity.agentRuntimeId, identity);
    this.onChange();
  }

  forgetIdentity(agentRuntimeId: string): void {
    this.identities.delete(agentRuntimeId);
    this.keyObjects.delete(agentRuntimeId);
    for (const task of [...this.tasks.values()]) {
      if (task.agentRuntimeId === agentRuntimeId) this.dropTask(task);
    }
    this.onChange();
  }

  // ---- tasks

  listTasks(): TaskRecord[] {
    return [...this.tasks.values()];
  }

  task(taskId: string): TaskRecord | undefined {
    return this.tasks.get(taskId);
  }

  isKnownTask(agentRuntimeId: string, taskId: string): boolean {
    return this.tasks.get(taskId)?.agentRuntimeId === agentRuntimeId;
  }

  taskByRef(agentRuntimeId: string, externalTaskRef: string): TaskRecord | undefined {
    const id = this.tasksByRef.get(refKey(agentRuntimeId, externalTaskRef));
    return id === undefined ? undefined : this.tasks.get(id);
  }

  addTask(task: TaskRecord): void {
    this.putTask(task);
    this.onChange();
  }

  forgetTask(taskId: string): void {
    const task = this.tasks.get(taskId);
    if (!task) return;
    this.dropTask(task);
    this.onChange();
  }

  private putTask(task: TaskRecord): void {
    this.tasks.set(task.taskId, task);
    if (task.externalTaskRef !== undefined) {
      this.tasksByRef.set(refKey(task.agentRuntimeId, task.externalTaskRef), task.taskId);
    }
  }

  private dropTask(task: TaskRecord): void {
    this.tasks.delete(task.taskId);
    if (task.externalTaskRef !== undefined) {
      this.tasksByRef.delete(refKey(task.agentRuntimeId, task.externalTaskRef));
    }
  }

  // ---- refresh tokens and revoked access tokens

  refreshToken(hash: string): RefreshTokenRecord | undefined {
    return this.refreshTokens.get(hash);
  }

  putRefreshToken(record: RefreshTokenRecord): void {
    this.refreshTokens.set(record.hash, record);
    this.onChange();
  }

  setRefreshTokenStatus(hash: string, status: RefreshTokenStatus): void {
    const record = this.refreshTokens.get(hash);
    if (!record) return;
    this.refreshTokens.set(hash, { ...record, status });
    this.onChange();
  }

  revokeRefreshTokens(userId?: string): void {
    for (const [hash, record] of this.refreshTokens) {
      if (userId === undefined || record.userId === userId) {
        this.refreshTokens.set(hash, { ...record, status: 'revoked' });
      }
    }
    this.onChange();
  }

  /** Drops refresh tokens that expired more than a day ago, so the file does not grow forever. */
  pruneRefreshTokens(nowMs: number): void {
    let changed = false;
    for (const [hash, record] of this.refreshTokens) {
      if (record.expiresAtMs + 86_400_000 < nowMs) {
        this.refreshTokens.delete(hash);
        changed = true;
      }
    }
    if (changed) this.onChange();
  }

  isAccessTokenRevoked(jti: string): boolean {
    return this.revokedAccessTokenIds.has(jti);
  }

  revokeAccessToken(jti: string): void {
    this.revokedAccessTokenIds.add(jti);
    this.onChange();
  }
}
