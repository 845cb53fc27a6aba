import { chatgptAuthJson } from '@codex-ts/dev-backend/testing';
import { describe, expect, it } from 'vitest';
import { platform, runProcess, startWorld, upstreamBinary, upstreamTitle, useWorld } from './harness.js';

describe.skipIf(!platform.supported)(
  upstreamTitle('upstream 0.122 `exec` with features.use_agent_identity'),
  () => {
    it('registers one identity and one task, and runs the turn on an accepted AgentAssertion', async (context) => {
      const world = await useWorld(context, {
        config: { agentIdentity: true, customProvider: true },
        auth: async (backend) =>
          chatgptAuthJson(await backend.issueTokens({ email: 'dev@example.com', plan: 'plus' })),
      });
      const codex = upstreamBinary('0.122.0');
      const result = await runProcess([codex, 'exec', '--skip-git-repo-check', 'say hi'], world.env, {
        cwd: world.home.path,
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe('Echo: say hi\n');

      const requests = world.backend.requests();
      const registrations = requests.filter((r) => r.path === '/backend-api/v1/agent/register');
      expect(registrations.map(({ authScheme, status }) => ({ authScheme, status }))).toEqual([
        { authScheme: 'biscuit', status: 200 },
      ]);
      const runtime = registrations[0]!.agentRuntimeId;
      const tasks = requests.filter((r) => r.path === `/backend-api/v1/agent/${runtime}/task/register`);
      expect(tasks.map(({ authScheme, status }) => ({ authScheme, status }))).toEqual([
        { authScheme: 'signature', status: 200 },
      ]);
      const turns = requests.filter((r) => r.path === '/backend-api/codex/responses');
      expect(
        turns.map(({ method, authScheme, agentRuntimeId, taskId, status }) => ({
          method,
          authScheme,
          agentRuntimeId,
          taskId,
          status,
        })),
      ).toEqual([
        {
          method: 'POST',
          authScheme: 'assertion',
          agentRuntimeId: runtime,
          taskId: tasks[0]!.taskId,
          status: 200,
        },
      ]);
    });

    it('tries to leave the machine when the fences in config.toml are down, and the proxy refuses every attempt', async () => {
      // For information, and to show that upstream honours the proxy variables: with the plugin marketplace sync
      // and the metrics exporter left on, these are the hosts 0.122 reaches for during one `exec`.
      const world = await startWorld({
        config: { agentIdentity: true, customProvider: true, plugins: true, metrics: true },
        auth: async (backend) => chatgptAuthJson(await backend.issueTokens()),
      });
      try {
        const result = await runProcess(
          [upstreamBinary('0.122.0'), 'exec', '--skip-git-repo-check', 'say hi'],
          world.env,
          { cwd: world.home.path },
        );
        expect(result.stdout).toBe('Echo: say hi\n');
        const hosts = [...new Set(world.proxy.attempts.map((a) => `${a.method} ${a.target}`))].sort();
        expect(hosts).toEqual([
          'CONNECT ab.chatgpt.com:443',
          'CONNECT api.github.com:443',
          'CONNECT chatgpt.com:443',
          'CONNECT github.com:443',
        ]);
      } finally {
        await world.close();
      }
    });
  },
);
