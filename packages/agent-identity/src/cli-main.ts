import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  AGENT_ASSERTION_SCHEME,
  type AgentAssertionClaims,
  decodeAgentAssertion,
  verifyAgentAssertion,
} from './assertion.js';
import { AgentIdentityError } from './errors.js';
import { AgentKey, parseSshEd25519PublicKey } from './keys.js';
import { printable, printableJson } from './printable.js';
import { createAgentSigner } from './signer.js';
import { parseAgentTimestamp } from './timestamp.js';

/** The `codex-ts-agent-identity` command line: keygen, inspect, demo. */

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
  now(): Date;
}

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
  now: () => new Date(),
};

export const USAGE = `Usage: codex-ts-agent-identity <command> [options]

Commands:
  keygen [--json]                 Generate an Ed25519 agent key; print its PKCS#8 (base64) and ssh-ed25519 public key.
  inspect <header> [options]      Decode an "${AGENT_ASSERTION_SCHEME} …" header: runtime, task, timestamp, age.
      --public-key <ssh-ed25519 …>  Verify the signature with this public key.
      --private-key-file <path>     Verify with the key in this file (PKCS#8 base64, or an auth.json with agent_identity).
      --window-seconds <n>          Accepted clock difference (default 300).
      --now <RFC 3339 time>         Evaluate the age at this instant instead of now.
      --json                        Print the result as JSON.
  demo                            Generate a key, sign a header for runtime demo-runtime / task demo-task, inspect it.
  help                            Show this help.

Exit codes: 0 ok, 1 the header is malformed or fails verification, 2 usage error.
`;

class UsageError extends Error {}

interface VerifyKey {
  publicKey: Uint8Array;
  /** When the key came with a stored runtime id, only that runtime is accepted. */
  agentRuntimeId?: string;
  source: string;
}

export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const env: CliIo = { ...defaultIo, ...io };
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'keygen':
        return keygen(rest, env);
      case 'inspect':
        return await inspectCommand(rest, env);
      case 'demo':
        return demo(rest, env);
      case 'help':
      case '--help':
      case '-h':
        env.stdout(USAGE);
        return 0;
      case undefined:
        env.stderr(USAGE);
        return 2;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      env.stderr(`error: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof AgentIdentityError) {
      env.stderr(`error: ${error.code}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}

function keygen(args: string[], io: CliIo): number {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true });
  const key = AgentKey.generate();
  if (values.json) {
    io.stdout(
      `${JSON.stringify({ private_key_pkcs8_base64: key.toPkcs8Base64(), public_key_ssh: key.publicKeySsh }, null, 2)}\n`,
    );
  } else {
    io.stdout(`private key (PKCS#8, base64): ${key.toPkcs8Base64()}\npublic key: ${key.publicKeySsh}\n`);
  }
  return 0;
}

async function loadPrivateKeyFile(path: string, io: CliIo): Promise<VerifyKey> {
  let text: string;
  try {
    text = (await io.readFile(path)).trim();
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (text.startsWith('{')) {
    let record: unknown;
    try {
      // login keeps its record under codex_ts_agent_identity; upstream 0.122 under agent_identity.
      const doc = JSON.parse(text) as { agent_identity?: unknown; codex_ts_agent_identity?: unknown };
      record = doc.codex_ts_agent_identity ?? doc.agent_identity;
    } catch {
      throw new UsageError(`${path} is not valid JSON`);
    }
    const identity = record as { agent_private_key?: unknown; agent_runtime_id?: unknown } | undefined;
    if (typeof identity?.agent_private_key !== 'string') {
      throw new UsageError(`${path} has no agent_identity.agent_private_key`);
    }
    const key = AgentKey.fromPkcs8Base64(identity.agent_private_key);
    const verifyKey: VerifyKey = { publicKey: key.publicKey, source: `${path} (${key.publicKeySsh})` };
    if (typeof identity.agent_runtime_id === 'string') verifyKey.agentRuntimeId = identity.agent_runtime_id;
    return verifyKey;
  }
  const key = AgentKey.fromPkcs8Base64(text);
  return { publicKey: key.publicKey, source: `${path} (${key.publicKeySsh})` };
}

function roughDuration(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

function formatAge(ageSeconds: number): string {
  const rough =
    ageSeconds >= 120 || ageSeconds <= -120 ? ` (about ${roughDuration(Math.abs(ageSeconds))})` : '';
  return ageSeconds < 0 ? `${ageSeconds}s${rough} (in the future)` : `${ageSeconds}s${rough}`;
}

interface InspectReport {
  runtime: string;
  task: string;
  timestamp: string;
  ageSeconds: number | null;
  verified: boolean | null;
  reason?: string;
  message?: string;
}

function describeReport(report: InspectReport, verifiedWith: string | undefined, window: number): string {
  const lines = [
    `runtime:   ${printable(report.runtime)}`,
    `task:      ${printable(report.task)}`,
    `timestamp: ${printable(report.timestamp)}`,
    `age:       ${report.ageSeconds === null ? 'unknown (timestamp is not RFC 3339 seconds with Z)' : formatAge(report.ageSeconds)}`,
  ];
  if (report.verified === null) {
    lines.push('verified:  not checked (pass --public-key or --private-key-file)');
  } else if (report.verified) {
    lines.push(`verified:  yes (key ${verifiedWith}, window ±${window}s)`);
  } else {
    lines.push(`verified:  NO — ${report.reason}: ${printable(report.message ?? '')}`);
  }
  return `${lines.join('\n')}\n`;
}

async function inspectCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      'public-key': { type: 'string' },
      'private-key-file': { type: 'string' },
      'window-seconds': { type: 'string' },
      now: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length === 0) throw new UsageError('inspect needs the header value');
  if (values['public-key'] !== undefined && values['private-key-file'] !== undefined) {
    throw new UsageError('pass either --public-key or --private-key-file, not both');
  }
  let window = 300;
  if (values['window-seconds'] !== undefined) {
    window = Number(values['window-seconds']);
    if (!/^\d+$/.test(values['window-seconds']) || !Number.isSafeInteger(window)) {
      throw new UsageError('--window-seconds must be a whole number of seconds');
    }
  }
  let now = io.now();
  if (values.now !== undefined) {
    const parsed = parseAgentTimestamp(values.now) ?? new Date(values.now);
    if (Number.isNaN(parsed.getTime())) throw new UsageError('--now must be an RFC 3339 time');
    now = parsed;
  }
  let verifyKey: VerifyKey | undefined;
  try {
    if (values['public-key'] !== undefined) {
      const text = values['public-key'].trim();
      verifyKey = { publicKey: parseSshEd25519PublicKey(text), source: 'from --public-key' };
    } else if (values['private-key-file'] !== undefined) {
      verifyKey = await loadPrivateKeyFile(values['private-key-file'], io);
    }
  } catch (error) {
    if (error instanceof AgentIdentityError) throw new UsageError(`${error.code}: ${error.message}`);
    throw error;
  }
  // A header passed without quotes arrives as two arguments: "AgentAssertion" and the token.
  const header = positionals.join(' ');
  return printInspection(header, verifyKey, window, now, values.json === true, io);
}

function printInspection(
  header: string,
  verifyKey: VerifyKey | undefined,
  window: number,
  now: Date,
  json: boolean,
  io: CliIo,
): number {
  let claims: AgentAssertionClaims;
  try {
    claims = decodeAgentAssertion(header);
  } catch (error) {
    if (!(error instanceof AgentIdentityError)) throw error;
    if (json)
      io.stdout(`${printableJson({ verified: false, reason: error.code, message: error.message })}\n`);
    else io.stderr(`error: ${error.code}: ${printable(error.message)}\n`);
    return 1;
  }
  const signedAt = parseAgentTimestamp(claims.timestamp);
  const report: InspectReport = {
    runtime: claims.agentRuntimeId,
    task: claims.taskId,
    timestamp: claims.timestamp,
    ageSeconds: signedAt === undefined ? null : Math.floor((now.getTime() - signedAt.getTime()) / 1000),
    verified: null,
  };
  if (verifyKey !== undefined) {
    const result = verifyAgentAssertion(header, {
      publicKeyFor: (runtime) =>
        verifyKey.agentRuntimeId === undefined || verifyKey.agentRuntimeId === runtime
          ? verifyKey.publicKey
          : undefined,
      now,
      windowSeconds: window,
    });
    report.verified = result.ok;
    if (!result.ok) {
      report.reason = result.reason;
      report.message =
        result.reason === 'unknown_runtime'
          ? `the key file belongs to runtime ${verifyKey.agentRuntimeId}, the header names ${claims.agentRuntimeId}`
          : result.message;
    }
  }
  io.stdout(json ? `${printableJson(report)}\n` : describeReport(report, verifyKey?.source, window));
  return report.verified === false ? 1 : 0;
}

function demo(args: string[], io: CliIo): number {
  parseArgs({ args, options: {}, strict: true });
  const key = AgentKey.generate();
  const signer = createAgentSigner({ agentRuntimeId: 'demo-runtime', key });
  const now = io.now();
  const header = signer.authorizationHeader('demo-task', now);
  io.stdout(
    `Generated an agent key.\npublic key: ${key.publicKeySsh}\n\n` +
      'Signed an AgentAssertion for runtime demo-runtime, task demo-task:\n' +
      `${header}\n\nInspecting and verifying it with the public key:\n`,
  );
  return printInspection(header, { publicKey: key.publicKey, source: 'from this demo' }, 300, now, false, io);
}
