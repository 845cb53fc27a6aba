import type { ClientConnection } from './connection.js';

/** Connected clients, and which of them follow which thread (thread notifications go to followers only). */
export class ClientRegistry {
  readonly #clients = new Set<ClientConnection>();
  readonly #followers = new Map<string, Set<ClientConnection>>();

  add(connection: ClientConnection): void {
    this.#clients.add(connection);
    connection.onClose(() => {
      this.#clients.delete(connection);
      for (const set of this.#followers.values()) set.delete(connection);
    });
  }

  get size(): number {
    return this.#clients.size;
  }

  /** To every initialized client (account and app notifications). */
  broadcast(method: string, params: unknown): void {
    for (const c of this.#clients) c.notify(method, params);
  }

  follow(threadId: string, connection: ClientConnection): void {
    let set = this.#followers.get(threadId);
    if (!set) {
      set = new Set();
      this.#followers.set(threadId, set);
    }
    set.add(connection);
  }

  unfollowThread(threadId: string): void {
    this.#followers.delete(threadId);
  }

  toThread(threadId: string, method: string, params: unknown): void {
    for (const c of this.#followers.get(threadId) ?? []) c.notify(method, params);
  }
}
