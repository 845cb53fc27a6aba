// After the walkthrough: an app-server on a websocket for an editor, and the commands to try against it all.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `codex-ts-app-server --listen ws://127.0.0.1:<port>` (0: any free port); resolves with the process, the URL it
 * printed once it listens, and the promise of its exit. Rejects with its last stderr line if it exits first.
 */
export function startWebsocketServer(cli, env, port) {
  const child = spawn(process.execPath, [cli, '--listen', `ws://127.0.0.1:${port}`], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
      const url = /listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
      if (url) {
        child.stderr.removeAllListeners('data');
        child.stderr.resume();
        resolve({ child, url, exited });
      }
    });
    child.once('exit', (code) => {
      const last = stderr.trim().split('\n').pop() ?? '';
      reject(new Error(`the websocket app-server exited (code ${code})${last ? `: ${last}` : ''}`));
    });
  });
}

const DEMO_DIFF = `diff --git a/hello.txt b/hello.txt
new file mode 100644
--- /dev/null
+++ b/hello.txt
@@ -0,0 +1 @@
+hello from a codex cloud task
`;

/** A cloud task for the signed-in user on the dev backend, so `codex-ts cloud list` has one to show. */
export function seedCloudTask(backend) {
  const user = backend.users()[0];
  if (!user || typeof backend.seedCloudTask !== 'function') return undefined;
  return backend.seedCloudTask({
    accountId: user.accountId,
    title: 'Say hello in hello.txt',
    diff: DEMO_DIFF,
  });
}

/** What to try, in another shell, while the backend and the websocket app-server run. */
export function tryThese({ repoRoot, backend, codexHome, wsUrl, threadId, cloudTaskId }) {
  const vars = [
    `CODEX_HOME=${codexHome}`,
    `CODEX_REFRESH_TOKEN_URL_OVERRIDE=${backend.tokenUrl}`,
    `CODEX_REVOKE_TOKEN_URL_OVERRIDE=${backend.url}/oauth/revoke`,
  ].join(' ');
  const short = `CODEX_HOME=${codexHome} CODEX_REFRESH_TOKEN_URL_OVERRIDE=${backend.tokenUrl}`;
  const exec = 'npx -y pnpm@10 exec';
  const cli = existsSync(join(repoRoot, 'apps', 'cli', 'dist', 'cli.js'))
    ? [
        `${short} ${exec} codex-ts login status`,
        `${short} ${exec} codex-ts cloud list`,
        ...(cloudTaskId ? [`${short} ${exec} codex-ts cloud diff ${cloudTaskId}`] : []),
      ]
    : [];
  const http = `http${wsUrl.slice(2)}`;
  return `
The dev backend and an app-server on a websocket keep running. Point an editor (or any JSON-RPC client) at
  ${wsUrl}
(one JSON-RPC message per text frame; ${http}/readyz answers when it is up). Its CODEX_HOME is the one signed in
above${threadId ? `, so thread/resume {"threadId":"${threadId}"} picks the thread up again` : ''}.

Try, in another shell (in this repository):
${[
  ...cli,
  `${short} ${exec} codex-ts-login status`,
  `${short} ${exec} codex-ts-login print-authorization --thread ${threadId ?? 'thread-demo-1'}`,
  `${vars} ${exec} codex-ts-app-server     # stdio: type {"id":1,"method":"initialize","params":{"clientInfo":{"name":"me","version":"1"}}}`,
]
  .map((c) => `  ${c}`)
  .join('\n')}
and open ${backend.url}/dev/ in a browser (every request, identity and task). Ctrl-C stops it all (and removes ${codexHome}).`;
}
