import type { AuthScheme } from '@codex-ts/auth-provider';
import type WebSocket from 'ws';
import type { RecordingAuth } from './recording-auth.js';
import { type Handshake, websocketHandshake } from './websocket-handshake.js';

/**
 * The session's websocket to the Responses endpoint, kept for the next turns. Reuse rule: the socket is reused
 * only while the provider would still authorize a new handshake with the scheme this one was opened with
 * (`describe(request).scheme`); a socket opened with bearer while the thread's task was registering is closed
 * and replaced once the provider would send an `AgentAssertion`.
 */
export class WebsocketConnection {
  readonly url: URL;
  readonly #auth: RecordingAuth;
  #current: Handshake | undefined;
  /** Handshakes made (for tests and logs). */
  handshakes = 0;

  readonly #handshakeTimeoutMs: number;

  constructor(url: URL, auth: RecordingAuth, handshakeTimeoutMs: number) {
    this.url = url;
    this.#auth = auth;
    this.#handshakeTimeoutMs = handshakeTimeoutMs;
  }

  /** The open socket when it may be reused, else a new handshake. */
  async acquire(
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<Handshake & { reused: boolean }> {
    const current = this.#current;
    if (current && current.socket.readyState === current.socket.OPEN) {
      const wanted: AuthScheme = this.#auth.describe({ url: this.url, method: 'GET' }).scheme;
      if (wanted === current.scheme) return { ...current, reused: true };
    }
    this.discard();
    this.handshakes++;
    const opened = await websocketHandshake({
      url: this.url,
      headers,
      auth: this.#auth,
      handshakeTimeoutMs: this.#handshakeTimeoutMs,
      signal,
    });
    this.#current = opened;
    return { ...opened, reused: false };
  }

  /** Closes the socket (after a turn that did not finish cleanly, or a scheme change); the next turn reconnects. */
  discard(): void {
    const socket: WebSocket | undefined = this.#current?.socket;
    this.#current = undefined;
    if (socket && socket.readyState !== socket.CLOSED) socket.terminate();
  }
}
