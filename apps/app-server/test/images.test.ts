import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useDevWorld, type WorldServer } from './support/dev-world.js';

const world = useDevWorld();

/** A 2×2 PNG. */
const PNG_B64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR42mP4z8AARAwQCgAf7gP9Y167WwAAAABJRU5ErkJggg==';
const PNG = Buffer.from(PNG_B64, 'base64');
const PNG_URL = `data:image/png;base64,${PNG_B64}`;

const text = (t: string) => ({ type: 'input_text', text: t });
const image = (url: string, detail = 'high') => ({ type: 'input_image', image_url: url, detail });
const wrapped = (n: number, path: string, inner: unknown) => [
  text(`<image name=[Image #${n}] path="${path}">`),
  inner,
  text('</image>'),
];

interface Served extends WorldServer {
  /** A workspace with `shot.png` (the PNG) and `notes.txt` (not an image). */
  cwd: string;
}

/** A server on a fresh signed-in home (flag on), or on `home` as it is. */
async function serve(home?: string): Promise<Served> {
  const h = await world.server(home === undefined ? { flag: true } : { home });
  const cwd = join(h.home, 'workspace');
  mkdirSync(cwd, { recursive: true });
  writeFileSync(join(cwd, 'shot.png'), PNG);
  writeFileSync(join(cwd, 'notes.txt'), 'private notes, not an image\n');
  return { ...h, cwd };
}

/** Runs one turn; its agent message and the user content the model received (the request's last input item). */
async function turn(h: WorldServer, threadId: string, input: unknown[]) {
  const before = world.backend.modelRequests().length;
  const { turn } = await h.client.result<{ turn: { id: string } }>('turn/start', { threadId, input });
  const done = await h.client.next(
    'turn/completed',
    (p) => (p as { turn: { id: string } }).turn.id === turn.id,
  );
  const requests = world.backend.modelRequests().slice(before);
  expect(requests).toHaveLength(1);
  const { items } = (done.params as { turn: { items: Array<{ text: string }> } }).turn;
  return { id: turn.id, answer: items[0]?.text, input: requests[0]!.input, sent: requests[0]!.input.at(-1) };
}

describe('image input in turn/start', () => {
  it('sends a local PNG, a data URL and a file id as upstream 0.169 does; detail passed through', async () => {
    const h = await serve();
    const { thread } = await h.client.result<{ thread: { id: string } }>('thread/start', { cwd: h.cwd });
    const input = [
      { type: 'text', text: 'look', text_elements: [] },
      { type: 'localImage', path: join(h.cwd, 'shot.png') },
      // A data URL labelled with the wrong type: relabelled from its bytes.
      { type: 'image', url: `data:image/jpeg;base64,${PNG_B64}`, detail: 'auto' },
      { type: 'image', fileId: 'file_abc123', detail: 'original' },
      { type: 'localImage', path: 'shot.png', detail: 'high' },
    ];
    const t = await turn(h, thread.id, input);
    expect(t.sent).toEqual({
      type: 'message',
      role: 'user',
      content: [
        text('look'),
        ...wrapped(1, join(h.cwd, 'shot.png'), image(PNG_URL)),
        image(PNG_URL, 'auto'),
        { type: 'input_image', file_id: 'file_abc123', detail: 'high' },
        ...wrapped(4, 'shot.png', image(PNG_URL)),
      ],
    });
    expect(t.answer).toBe(
      `Echo: look<image name=[Image #1] path="${join(h.cwd, 'shot.png')}"></image><image name=[Image #4] path="shot.png"></image> [4 images]`,
    );
    // The user message item carries upstream's wire UserInput: paths and URLs, never bytes.
    const wire = [
      { type: 'text', text: 'look', text_elements: [] },
      { type: 'localImage', detail: null, path: join(h.cwd, 'shot.png') },
      { type: 'image', url: `data:image/jpeg;base64,${PNG_B64}`, detail: 'auto' },
      { type: 'image', fileId: 'file_abc123', detail: 'original' },
      { type: 'localImage', detail: 'high', path: 'shot.png' },
    ];
    for (const method of ['item/started', 'item/completed']) {
      const item = h.client.notifications.find(
        (n) => n.method === method && (n.params as { item: { type: string } }).item.type === 'userMessage',
      );
      expect(item?.params, method).toMatchObject({ item: { content: wire } });
    }
  });

  it('an unreadable local image becomes upstream’s text; nothing but an image leaves the machine', async () => {
    const h = await serve();
    const { thread } = await h.client.result<{ thread: { id: string } }>('thread/start', { cwd: h.cwd });
    const missing = await turn(h, thread.id, [{ type: 'localImage', path: 'gone.png' }]);
    expect(missing.sent).toEqual({
      type: 'message',
      role: 'user',
      content: [
        text('Codex could not read the local image at `gone.png`: No such file or directory (os error 2)'),
      ],
    });
    const directory = await turn(h, thread.id, [{ type: 'localImage', path: h.cwd }]);
    expect(directory.sent).toMatchObject({
      content: [text(`Codex could not read the local image at \`${h.cwd}\`: Is a directory (os error 21)`)],
    });
    const notImage = await turn(h, thread.id, [{ type: 'localImage', path: 'notes.txt' }]);
    expect(notImage.sent).toMatchObject({
      content: wrapped(1, 'notes.txt', text('image content omitted because it could not be processed')),
    });
    expect(notImage.answer).toBe(
      'Echo: <image name=[Image #1] path="notes.txt">image content omitted because it could not be processed</image>',
    );
    const badData = await turn(h, thread.id, [{ type: 'image', url: 'data:text/plain;base64,aGVsbG8=' }]);
    expect(badData.sent).toMatchObject({
      content: [text('image content omitted because it could not be processed')],
    });
    const low = await turn(h, thread.id, [{ type: 'localImage', path: 'shot.png', detail: 'low' }]);
    expect(low.sent).toMatchObject({
      content: wrapped(
        1,
        'shot.png',
        text(
          "image content omitted because detail 'low' is not supported; use 'high', 'original', or 'auto'",
        ),
      ),
    });
    const bodies = JSON.stringify(world.backend.modelRequests());
    expect(bodies).not.toContain('private notes');
    expect(bodies).not.toContain(Buffer.from('private notes').toString('base64').slice(0, 16));
  });

  it('a model without image input gets upstream’s placeholder instead of the image', async () => {
    const h = await serve();
    const { thread } = await h.client.result<{ thread: { id: string } }>('thread/start', {
      cwd: h.cwd,
      model: 'dev-echo-mini',
    });
    const t = await turn(h, thread.id, [
      { type: 'localImage', path: 'shot.png' },
      { type: 'image', url: PNG_URL },
    ]);
    const unsupported = text('image content omitted because you do not support image input');
    expect(t.sent).toMatchObject({ content: [...wrapped(1, 'shot.png', unsupported), unsupported] });
  });

  it('refuses what upstream refuses, with its messages', async () => {
    const h = await serve();
    const { thread } = await h.client.result<{ thread: { id: string } }>('thread/start', { cwd: h.cwd });
    const error = async (input: unknown[]) =>
      (await h.client.call('turn/start', { threadId: thread.id, input })).error;
    expect(await error([{ type: 'image', url: 'https://example.com/a.png' }])).toEqual({
      code: -32600,
      message: 'remote image URLs are not supported; use an inline data URL instead',
    });
    expect(await error([{ type: 'image', url: 'HTTP://example.com/a.png' }])).toMatchObject({ code: -32600 });
    expect(await error([{ type: 'image' }])).toEqual({
      code: -32600,
      message: 'Invalid request: data did not match any variant of untagged enum ImageReference',
    });
    expect(await error([{ type: 'image', url: 'x', detail: 'bogus' }])).toEqual({
      code: -32600,
      message: 'Invalid request: unknown variant `bogus`, expected one of `auto`, `low`, `high`, `original`',
    });
    expect(await error([{ type: 'localImage' }])).toEqual({
      code: -32600,
      message: 'Invalid request: missing field `path`',
    });
    for (const type of ['audio', 'localAudio', 'skill', 'mention']) {
      expect(await error([{ type, url: 'x', path: 'x', name: 'x' }])).toEqual({
        code: -32600,
        message: `Invalid request: unknown variant \`${type}\`, expected one of \`text\`, \`image\`, \`localImage\``,
      });
    }
    expect(world.backend.modelRequests()).toEqual([]);
  });
});

describe('images in the thread', () => {
  it('round-trip through thread/read and a resume in a new server; later turns re-read the file; the rollout has paths, not bytes', async () => {
    const a = await serve();
    const { thread } = await a.client.result<{ thread: { id: string; path: string } }>('thread/start', {
      cwd: a.cwd,
    });
    const input = [
      { type: 'text', text: 'see', text_elements: [] },
      { type: 'localImage', path: 'shot.png' },
      { type: 'image', url: PNG_URL },
    ];
    const first = await turn(a, thread.id, input);
    const wire = [
      { type: 'text', text: 'see', text_elements: [] },
      { type: 'localImage', detail: null, path: 'shot.png' },
      { type: 'image', url: PNG_URL, detail: null },
    ];
    const read = await a.client.result<{ thread: { turns: Array<{ items: Array<{ content?: unknown }> }> } }>(
      'thread/read',
      { threadId: thread.id, includeTurns: true },
    );
    expect(read.thread.turns[0]!.items[0]!.content).toEqual(wire);
    await a.server.context.threads.loaded(thread.id)!.writer.idle();
    await a.close();
    const rollout = readFileSync(thread.path, 'utf8');
    expect(rollout).toContain('"path":"shot.png"');
    expect(rollout.split(PNG_B64).length - 1).toBe(1); // the data URL the client sent, nothing read from disk

    const b = await serve(a.home);
    const resumed = await b.client.result<{
      thread: { turns: Array<{ items: Array<{ content?: unknown }> }> };
    }>('thread/resume', { threadId: thread.id });
    expect(resumed.thread.turns[0]!.items[0]!.content).toEqual(wire);
    const second = await turn(b, thread.id, [{ type: 'text', text: 'again', text_elements: [] }]);
    expect(second.input[0]).toEqual(first.sent);
    rmSync(join(a.cwd, 'shot.png'));
    const third = await turn(b, thread.id, [{ type: 'text', text: 'gone', text_elements: [] }]);
    expect(third.input[0]).toEqual({
      type: 'message',
      role: 'user',
      content: [
        text('see'),
        text('Codex could not read the local image at `shot.png`: No such file or directory (os error 2)'),
        image(PNG_URL),
      ],
    });
    expect(third.answer).toBe('Echo: gone');
  });

  it('the turn event counts the input images (numInputImages)', async () => {
    const h = await serve();
    const { thread } = await h.client.result<{ thread: { id: string } }>('thread/start', { cwd: h.cwd });
    const withImages = await turn(h, thread.id, [
      { type: 'localImage', path: 'gone.png' },
      { type: 'localImage', path: 'shot.png' },
      { type: 'image', fileId: 'file_1' },
    ]);
    const textOnly = await turn(h, thread.id, [{ type: 'text', text: 'hi', text_elements: [] }]);
    await h.close();
    const counts = (
      world.backend.analyticsEvents() as Array<{ event_type: string; event_params: Record<string, unknown> }>
    )
      .filter((e) => e.event_type === 'codex_turn_event' && e.event_params.thread_id === thread.id)
      .map((e) => [e.event_params.turn_id, e.event_params.num_input_images]);
    expect(counts).toEqual([
      [withImages.id, 3],
      [textOnly.id, 0],
    ]);
  });
});
