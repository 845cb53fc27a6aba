import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AppServer, createLogger, loadAppServerConfig } from '../src/index.js';
import { TestClient } from './support/client.js';
import { tempHome } from './support/fixture.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

describe('config', () => {
  it('reads config.toml keys and the URL overrides from the environment', async () => {
    const home = tempHome();
    writeFileSync(
      join(home, 'config.toml'),
      'model = "gpt-x"\nopenai_base_url = "http://127.0.0.1:9/v1/"\nchatgpt_base_url = "http://127.0.0.1:8/backend-api"\n[analytics]\nenabled = false\n',
    );
    expect(
      await loadAppServerConfig(
        {
          CODEX_APP_SERVER_LOGIN_ISSUER: 'http://127.0.0.1:8',
          CODEX_REVOKE_TOKEN_URL_OVERRIDE: 'http://127.0.0.1:8/oauth/revoke',
        },
        home,
      ),
    ).toEqual({
      codexHome: home,
      toml: expect.objectContaining({ model: 'gpt-x' }),
      model: 'gpt-x',
      modelProvider: 'openai',
      openaiBaseUrl: 'http://127.0.0.1:9/v1',
      chatgptBaseUrl: 'http://127.0.0.1:8/backend-api',
      analyticsEnabled: false,
      remoteControl: false,
      loginIssuer: 'http://127.0.0.1:8',
      revokeTokenUrl: 'http://127.0.0.1:8/oauth/revoke',
    });
  });

  it('a config.toml that cannot be used fails startup naming the file and the key; requests get -32603', async () => {
    const home = tempHome();
    writeFileSync(join(home, 'config.toml'), 'model = 5\n');
    const logs: string[] = [];
    const server = new AppServer({
      env: { CODEX_HOME: home },
      logger: createLogger({ format: 'json', write: (l) => logs.push(l) }),
    });
    await expect(server.ready).rejects.toThrow(
      `${join(home, 'config.toml')}: \`model\` must be a string, found a number`,
    );
    expect(logs.some((l) => l.includes('app-server failed to start'))).toBe(true);
    const client = new TestClient(server);
    await client.initialize();
    expect((await client.call('account/read', {})).error).toEqual({
      code: -32603,
      message: `app-server failed to start: ${join(home, 'config.toml')}: \`model\` must be a string, found a number`,
    });
    await client.close();
  });

  it('the CLI exits 1 when the config cannot be used', async () => {
    const home = tempHome();
    writeFileSync(join(home, 'config.toml'), '[features\n');
    const child = spawn(process.execPath, [CLI], {
      env: { PATH: process.env.PATH ?? '', CODEX_HOME: home },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('app-server failed to start');
    expect(stderr).toContain('invalid TOML');
  });
});
