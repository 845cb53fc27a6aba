#!/usr/bin/env node
import { startDevBackend } from './backend.js';
import { isClockOffset, MAX_CLOCK_OFFSET_SECONDS } from './clock.js';
import type { DevBackendOptions } from './types.js';

const USAGE = `usage: codex-ts-dev-backend --port <n|0> [--host 127.0.0.1] [--data <file>]
       [--access-token-ttl <seconds>] [--task-id-response encrypted|plain] [--clock-offset <seconds>]
       [--tls [--ca-file <path>]]`;

function parseArgs(argv: string[]): DevBackendOptions {
  const options: DevBackendOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (flag === '--tls') {
      options.tls = typeof options.tls === 'object' ? options.tls : true;
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    i++;
    const int = () => {
      const n = Number(value);
      if (!Number.isInteger(n)) throw new Error(`${flag} must be an integer`);
      return n;
    };
    switch (flag) {
      case '--port':
        options.port = int();
        break;
      case '--host':
        options.host = value;
        break;
      case '--data':
        options.dataFile = value;
        break;
      case '--access-token-ttl':
        options.accessTokenTtlSeconds = int();
        break;
      case '--clock-offset':
        options.clockOffsetSeconds = int();
        if (!isClockOffset(options.clockOffsetSeconds)) {
          throw new Error(`${flag} must be within ±${MAX_CLOCK_OFFSET_SECONDS} seconds`);
        }
        break;
      case '--ca-file':
        options.tls = { caFile: value };
        break;
      case '--task-id-response':
        if (value !== 'encrypted' && value !== 'plain') throw new Error(`${flag} must be encrypted or plain`);
        options.taskIdResponse = value;
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  let options: DevBackendOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const backend = await startDevBackend(options);
  process.stdout.write(
    `dev-backend listening on ${backend.url}\nchatgpt base url: ${backend.chatgptBaseUrl}\n`,
  );
  if (backend.caFile) {
    process.stdout.write(
      `ca certificate: ${backend.caFile} (trust it with CODEX_CA_CERTIFICATE or NODE_EXTRA_CA_CERTS)\n`,
    );
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    backend.close().then(
      () => {
        process.stdout.write(`dev-backend stopped (${signal})\n`);
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`dev-backend: ${(error as Error).message}\n`);
  process.exit(1);
});
