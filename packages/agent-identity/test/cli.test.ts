import { describe, expect, it } from 'vitest';
import { decodeAgentAssertion } from '../src/assertion.js';
import { type CliIo, main, USAGE } from '../src/cli-main.js';
import { AgentKey } from '../src/keys.js';
import { GOLDEN } from './golden-vector.js';

const HEADER = GOLDEN.header;
const SSH = GOLDEN.publicKeySsh;
const PKCS8_V1 = GOLDEN.pkcs8V1Base64;
const NOW = new Date('2026-04-23T00:01:00Z');

async function run(argv: string[], files: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readFile: async (path) => {
      const content = files[path];
      if (content === undefined) throw new Error('ENOENT: no such file');
      return content;
    },
    now: () => NOW,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const decoded = (verified: string, age = '60s') =>
  `runtime:   agent-123\ntask:      task-123\ntimestamp: 2026-04-23T00:00:00Z\nage:       ${age}\nverified:  ${verified}\n`;

describe('codex-ts-agent-identity keygen', () => {
  it('prints a PKCS#8 v2 key and its SSH public key', async () => {
    const { code, stdout, stderr } = await run(['keygen']);
    const match = /^private key \(PKCS#8, base64\): (\S+)\npublic key: (ssh-ed25519 \S+)\n$/.exec(stdout);
    expect({ code, stderr, matched: match !== null }).toEqual({ code: 0, stderr: '', matched: true });
    const key = AgentKey.fromPkcs8Base64(match![1]!);
    expect(key.publicKeySsh).toBe(match![2]);
    expect(Buffer.from(match![1]!, 'base64')).toHaveLength(83);
  });

  it('prints JSON with --json', async () => {
    const { code, stdout } = await run(['keygen', '--json']);
    const parsed = JSON.parse(stdout) as { private_key_pkcs8_base64: string; public_key_ssh: string };
    expect(Object.keys(parsed)).toEqual(['private_key_pkcs8_base64', 'public_key_ssh']);
    expect(AgentKey.fromPkcs8Base64(parsed.private_key_pkcs8_base64).publicKeySsh).toBe(
      parsed.public_key_ssh,
    );
    expect(code).toBe(0);
  });
});

describe('codex-ts-agent-identity inspect', () => {
  it('decodes without verifying when no key is given', async () => {
    expect(await run(['inspect', HEADER])).toEqual({
      code: 0,
      stdout: decoded('not checked (pass --public-key or --private-key-file)'),
      stderr: '',
    });
  });

  it('accepts the header split over two arguments', async () => {
    expect((await run(['inspect', ...HEADER.split(' ')])).stdout).toBe(
      decoded('not checked (pass --public-key or --private-key-file)'),
    );
  });

  it('verifies with --public-key', async () => {
    expect(await run(['inspect', HEADER, '--public-key', SSH])).toEqual({
      code: 0,
      stdout: decoded('yes (key from --public-key, window ±300s)'),
      stderr: '',
    });
  });

  it('verifies with a PKCS#8 file or an auth.json', async () => {
    const authJson = JSON.stringify({
      agent_identity: { agent_runtime_id: 'agent-123', agent_private_key: PKCS8_V1 },
    });
    const files = { '/k.txt': `${PKCS8_V1}\n`, '/auth.json': authJson };
    expect(await run(['inspect', HEADER, '--private-key-file', '/k.txt'], files)).toMatchObject({
      code: 0,
      stdout: decoded(`yes (key /k.txt (${SSH}), window ±300s)`),
    });
    expect(await run(['inspect', HEADER, '--private-key-file', '/auth.json'], files)).toMatchObject({
      code: 0,
      stdout: decoded(`yes (key /auth.json (${SSH}), window ±300s)`),
    });
  });

  it('says why verification fails and exits 1', async () => {
    const otherKey = AgentKey.fromSeed(new Uint8Array(32).fill(9));
    expect(await run(['inspect', HEADER, '--public-key', otherKey.publicKeySsh])).toEqual({
      code: 1,
      stdout: decoded('NO — bad_signature: signature does not verify with the registered public key'),
      stderr: '',
    });
    expect(await run(['inspect', HEADER, '--public-key', SSH, '--now', '2026-04-23T01:00:00Z'])).toEqual({
      code: 1,
      stdout: decoded(
        'NO — stale_timestamp: timestamp 2026-04-23T00:00:00Z is 3600s old (window 300s)',
        '3600s (about 60 min)',
      ),
      stderr: '',
    });
    expect(await run(['inspect', HEADER, '--public-key', SSH, '--window-seconds', '30'])).toMatchObject({
      code: 1,
      stdout: decoded('NO — stale_timestamp: timestamp 2026-04-23T00:00:00Z is 60s old (window 30s)'),
    });
    expect(
      await run(['inspect', HEADER, '--public-key', SSH, '--now', '2026-04-22T23:50:00Z']),
    ).toMatchObject({
      code: 1,
      stdout: decoded(
        'NO — future_timestamp: timestamp 2026-04-23T00:00:00Z is 600s in the future (window 300s)',
        '-600s (about 10 min) (in the future)',
      ),
    });
    const authJson = JSON.stringify({
      agent_identity: { agent_runtime_id: 'agent-999', agent_private_key: PKCS8_V1 },
    });
    expect(
      await run(['inspect', HEADER, '--private-key-file', '/auth.json'], { '/auth.json': authJson }),
    ).toMatchObject({
      code: 1,
      stdout: decoded(
        'NO — unknown_runtime: the key file belongs to runtime agent-999, the header names agent-123',
      ),
    });
  });

  it('reports a malformed header exactly and exits 1', async () => {
    expect(await run(['inspect', 'Bearer abc'])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'error: malformed_assertion: malformed AgentAssertion: scheme must be exactly "AgentAssertion" followed by one space\n',
    });
    const extra = `AgentAssertion ${Buffer.from('{"agent_runtime_id":"a","signature":"s","task_id":"t","timestamp":"x","x":"y"}').toString('base64url')}`;
    expect(await run(['inspect', extra, '--json'])).toEqual({
      code: 1,
      stdout: `${JSON.stringify({ verified: false, reason: 'malformed_assertion', message: 'malformed AgentAssertion: unexpected key(s) "x"' }, null, 2)}\n`,
      stderr: '',
    });
  });

  it('prints JSON with --json', async () => {
    const { code, stdout } = await run(['inspect', HEADER, '--public-key', SSH, '--json']);
    expect({ code, report: JSON.parse(stdout) }).toEqual({
      code: 0,
      report: {
        runtime: 'agent-123',
        task: 'task-123',
        timestamp: '2026-04-23T00:00:00Z',
        ageSeconds: 60,
        verified: true,
      },
    });
  });

  const usageCases: Array<[string, string[], string]> = [
    ['no header', ['inspect'], 'inspect needs the header value'],
    [
      'both key options',
      ['inspect', HEADER, '--public-key', SSH, '--private-key-file', '/k'],
      'pass either --public-key or --private-key-file, not both',
    ],
    [
      'a bad window',
      ['inspect', HEADER, '--window-seconds', '1.5'],
      '--window-seconds must be a whole number of seconds',
    ],
    ['a bad --now', ['inspect', HEADER, '--now', 'soon'], '--now must be an RFC 3339 time'],
    [
      'a bad public key',
      ['inspect', HEADER, '--public-key', 'ssh-rsa AAAA'],
      'invalid_public_key: invalid ssh-ed25519 public key: key type must be "ssh-ed25519"',
    ],
    [
      'a missing key file',
      ['inspect', HEADER, '--private-key-file', '/missing'],
      'cannot read /missing: ENOENT: no such file',
    ],
    ['an unknown command', ['frobnicate'], 'unknown command "frobnicate"'],
  ];
  it.each(usageCases)('exits 2 on %s', async (_name, argv, message) => {
    expect(await run(argv)).toEqual({ code: 2, stdout: '', stderr: `error: ${message}\n\n${USAGE}` });
  });

  it('exits 2 on an unknown option and with no command; prints help on help', async () => {
    expect(await run(['inspect', HEADER, '--bogus'])).toMatchObject({ code: 2, stdout: '' });
    expect(await run([])).toEqual({ code: 2, stdout: '', stderr: USAGE });
    expect(await run(['help'])).toEqual({ code: 0, stdout: USAGE, stderr: '' });
  });
});

describe('codex-ts-agent-identity demo', () => {
  it('signs a header for demo-runtime/demo-task and verifies it', async () => {
    const { code, stdout, stderr } = await run(['demo']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const header = /^(AgentAssertion \S+)$/m.exec(stdout)![1]!;
    expect(decodeAgentAssertion(header)).toMatchObject({
      agentRuntimeId: 'demo-runtime',
      taskId: 'demo-task',
      timestamp: '2026-04-23T00:01:00Z',
    });
    expect(stdout).toContain('verified:  yes (key from this demo, window ±300s)\n');
    expect(stdout).not.toContain('PKCS');
  });
});
