// Records the SSE streams the unit tests replay: `node scripts/record-fixtures.mjs [name.sse …]` (after building
// the dev backend; no names: all of them). Each fixture is the exact body the dev backend sent for one
// `POST /backend-api/codex/responses`; the tests name the ids they carry, so re-recording means updating them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDevBackend } from '@codex-ts/dev-backend';

const out = join(import.meta.dirname, '..', 'test', 'fixtures');
const backend = await startDevBackend({});
try {
  const tokens = await backend.issueTokens({ email: 'fixtures@example.com', plan: 'plus' });
  const cases = [
    { file: 'echo.sse', model: 'dev-echo', text: 'hello from the fixtures' },
    { file: 'failed.sse', model: 'dev-fail', text: 'this one fails' },
    { file: 'function-call.sse', model: 'dev-tool-call', text: 'list the files' },
  ];
  const only = process.argv.slice(2);
  for (const c of cases.filter((x) => only.length === 0 || only.includes(x.file))) {
    const response = await fetch(`${backend.chatgptBaseUrl}/codex/responses`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${tokens.access_token}`,
        'Content-Type': 'application/json',
        Accept: 'text/event-stream',
      },
      body: JSON.stringify({
        model: c.model,
        instructions: 'You are a test.',
        input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: c.text }] }],
        tools: [],
        tool_choice: 'auto',
        parallel_tool_calls: false,
        reasoning: null,
        store: false,
        stream: true,
        include: [],
      }),
    });
    if (response.status !== 200) {
      process.stderr.write(`skipped ${c.file}: ${response.status}\n`);
      continue;
    }
    writeFileSync(join(out, c.file), await response.text());
    process.stdout.write(`recorded ${c.file}\n`);
  }
} finally {
  await backend.close();
}
