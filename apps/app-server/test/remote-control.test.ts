import { describe, expect, it } from 'vitest';
import { useDevWorld } from './support/dev-world.js';

const world = useDevWorld();

interface Enrollment {
  server_id: string;
  installation_id: string;
  connected: number;
  received: Array<{
    type: string;
    client_id?: string;
    seq_id?: number;
    message?: { id?: number; result?: unknown };
  }>;
}

async function enrollments(): Promise<Enrollment[]> {
  return (await (await fetch(`${world.backend.url}/dev/remote-control`)).json()) as Enrollment[];
}

/** Reads the backend's record until `test` holds (each read is a loopback request, no timer). */
async function until<T>(read: () => Promise<T>, test: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await read();
    if (test(v)) return v;
  }
}

const BACKOFF = { remoteControlBackoffMs: { base: 1, cap: 5 } };

describe('remote control (experimental)', () => {
  it('enrolls and connects with the background task, carries a remote client’s JSON-RPC both ways, disables', async () => {
    const h = await world.server({ flag: true, initialize: false, serverOptions: BACKOFF });
    const { client } = h;
    expect((await client.call('remoteControl/enable')).error?.message).toBe('Not initialized');
    await client.initialize({ experimentalApi: true });
    expect(await client.result('remoteControl/enable')).toMatchObject({
      status: 'connecting',
      environmentId: null,
    });
    const connected = await client.next('remoteControl/status/changed', (p) => p.status === 'connected');
    expect(connected.params).toMatchObject({
      status: 'connected',
      environmentId: expect.stringMatching(/^env_rc_/),
    });

    const installationId = h.server.context.installationId;
    const enrollment = (await enrollments()).find((e) => e.installation_id === installationId)!;
    const calls = [
      ...world.backend.requests({ path: '/backend-api/wham/remote/control/server/enroll' }),
      ...world.backend.requests({ path: '/backend-api/wham/remote/control/server' }),
    ];
    expect(calls.map((r) => [r.method, r.status, r.authScheme, r.taskKind])).toEqual([
      ['POST', 200, 'assertion', 'background'],
      ['GET', 101, 'assertion', 'background'],
    ]);

    const send = (message: unknown) =>
      fetch(`${world.backend.url}/dev/remote-control/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ server_id: enrollment.server_id, client_id: 'phone-1', message }),
      });
    await send({ id: 1, method: 'initialize', params: { clientInfo: { name: 'phone', version: '1' } } });
    await send({ id: 2, method: 'account/read', params: {} });
    const seen = await until(enrollments, (all) =>
      all.some((e) => e.server_id === enrollment.server_id && e.received.some((m) => m.message?.id === 2)),
    );
    const received = seen.find((e) => e.server_id === enrollment.server_id)!.received;
    const reply = received.find((m) => m.message?.id === 2)!;
    expect(reply).toMatchObject({
      type: 'server_message',
      client_id: 'phone-1',
      seq_id: expect.any(Number),
      message: { id: 2, result: { account: { type: 'chatgpt' }, requiresOpenaiAuth: true } },
    });

    expect(await client.result('remoteControl/disable')).toMatchObject({ status: 'disabled' });
    await until(enrollments, (all) => all.find((e) => e.server_id === enrollment.server_id)?.connected === 0);
  });

  it('reconnects with backoff when the backend refuses the socket', async () => {
    const h = await world.server({ initialize: false, serverOptions: BACKOFF });
    world.backend.injectFault({ path: '/backend-api/wham/remote/control/server', status: 503, count: 2 });
    await h.client.initialize({ experimentalApi: true });
    await h.client.result('remoteControl/enable');
    await h.client.next('remoteControl/status/changed', (p) => p.status === 'connected');
    const upgrades = world.backend.requests({ path: '/backend-api/wham/remote/control/server' });
    expect(upgrades.map((r) => r.status)).toEqual([503, 503, 101]);
    expect(upgrades.at(-1)).toMatchObject({ authScheme: 'bearer' });
  });

  it('is experimental', async () => {
    const h = await world.server({ signedIn: false });
    expect((await h.client.call('remoteControl/enable')).error).toEqual({
      code: -32600,
      message: 'remoteControl/enable requires experimentalApi capability',
    });
  });
});
