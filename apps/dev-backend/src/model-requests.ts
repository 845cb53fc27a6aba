import type { DevModelRequest } from './types.js';

/**
 * The Responses requests the dev models received (SSE and websocket), newest last, capped like the request log: so a
 * test can read exactly what a client sent to the model (its `input` items, content parts, instructions).
 */
export class ModelRequestLog {
  readonly #requests: DevModelRequest[] = [];

  constructor(private readonly max: number) {}

  record(request: DevModelRequest): void {
    this.#requests.push(structuredClone(request));
    if (this.#requests.length > this.max) this.#requests.splice(0, this.#requests.length - this.max);
  }

  list(): DevModelRequest[] {
    return this.#requests.map((r) => structuredClone(r));
  }

  clear(): void {
    this.#requests.length = 0;
  }
}
