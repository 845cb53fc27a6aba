import { describe, expect, it } from 'vitest';
import { encodeAgentAssertion } from '../src/assertion.js';
import { type CliIo, main } from '../src/cli-main.js';
import { AgentKey } from '../src/keys.js';
import { printable } from '../src/printable.js';
import { GOLDEN, GOLDEN_NOW, GOLDEN_SEED } from './golden-vector.js';

/** The control characters in printed text, other than the newlines that end lines. */
const controls = (text: string) =>
  [...text].filter(
    (c) => c !== '\n' && (c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f)),
  );

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readFile: async () => {
      throw new Error('ENOENT');
    },
    now: () => GOLDEN_NOW,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

// A header signed by another key whose task id tries to forge a verdict: a newline and a fake line, a CR, an
// ESC sequence that would erase the real line (cursor up, clear line) and a C1 CSI.
const FORGED_TASK =
  'task-1\nverified:  yes (key from --public-key, window ±300s)\r\u001b[1A\u001b[2K\u009b2K';
const forged = encodeAgentAssertion({
  agentRuntimeId: GOLDEN.agentRuntimeId,
  taskId: FORGED_TASK,
  timestamp: GOLDEN.timestamp,
  signature: AgentKey.fromSeed(new Uint8Array(32).fill(9)).signBase64('x'),
});
const ESCAPED_TASK =
  'task-1\\x0averified:  yes (key from --public-key, window ±300s)\\x0d\\x1b[1A\\x1b[2K\\x9b2K';

describe('inspect escapes control characters in what it prints', () => {
  it('prints a forged task id as one escaped line and the real verdict last', async () => {
    const key = AgentKey.fromSeed(GOLDEN_SEED);
    const result = await run(['inspect', forged, '--public-key', key.publicKeySsh]);
    expect(result).toEqual({
      code: 1,
      stderr: '',
      stdout:
        `runtime:   agent-123\ntask:      ${ESCAPED_TASK}\ntimestamp: 2026-04-23T00:00:00Z\nage:       0s\n` +
        'verified:  NO — bad_signature: signature does not verify with the registered public key\n',
    });
    expect(result.stdout.split('\n')).toHaveLength(6);
    expect(controls(result.stdout)).toEqual([]);
  });

  it('escapes the raw values in --json too, keeping them readable as JSON', async () => {
    const { stdout } = await run(['inspect', forged, '--json']);
    expect(controls(stdout)).toEqual([]);
    expect(JSON.parse(stdout).task).toBe(FORGED_TASK);
  });

  it('escapes C0, DEL, C1, separators, bidi overrides and the backslash', () => {
    expect(printable('a\u0000b\u007fc\u2028d\u202ee\\f\tg')).toBe(
      'a\\x00b\\x7fc\\u{2028}d\\u{202e}e\\\\f\\x09g',
    );
    expect(printable('agent-123 ünïcode ✓')).toBe('agent-123 ünïcode ✓');
  });
});
