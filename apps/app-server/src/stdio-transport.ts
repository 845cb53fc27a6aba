import type { Readable, Writable } from 'node:stream';
import { ClientConnection } from './connection.js';
import { LineSplitter } from './line-splitter.js';
import type { AppLogger } from './logger.js';

export interface StdioTransportOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly logger: AppLogger;
  /** Largest accepted line (default 8 MiB); longer lines are refused and logged. */
  readonly maxMessageBytes: number;
  /** Bytes the output may hold unwritten before the client counts as not reading (default 64 MiB). */
  readonly maxOutputBufferBytes?: number;
  readonly onConnection: (connection: ClientConnection) => void;
  readonly onMessage: (connection: ClientConnection, text: string) => Promise<void>;
}

/**
 * Stdio: one JSON message per line each way. Resolves when stdin has ended and every message read
 * has been answered (single-client mode: the server then exits).
 */
export function serveStdio(options: StdioTransportOptions): Promise<void> {
  const { input, output, logger } = options;
  const maxOut = options.maxOutputBufferBytes ?? 64 * 1024 * 1024;
  const connection = new ClientConnection(
    0,
    {
      send(text) {
        if (output.writableLength > maxOut) return false;
        output.write(`${text}\n`);
        return true;
      },
      close() {
        input.destroy();
      },
    },
    'stdio',
  );
  options.onConnection(connection);
  const pending = new Set<Promise<void>>();
  const splitter = new LineSplitter(
    options.maxMessageBytes,
    (line) => {
      const p = options.onMessage(connection, line).catch((err: unknown) => {
        logger.error({ error: err }, 'message handling failed');
      });
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
    (bytes) =>
      logger.error({ bytes, limit: options.maxMessageBytes }, 'refused a message over the size limit'),
  );
  return new Promise<void>((resolve) => {
    input.on('data', (chunk: Buffer | string) => {
      splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    });
    const finish = () => {
      splitter.end();
      void Promise.allSettled([...pending]).then(() => {
        connection.markClosed();
        resolve();
      });
    };
    input.once('end', finish);
    input.once('close', finish);
    input.once('error', (err) => {
      logger.warn({ error: err }, 'stdin error');
      finish();
    });
  });
}
