import { describe, expect, it } from 'vitest';
import { assertionHeader, backend, postJson } from './helpers.js';

const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR42mP4z8AARAwQCgAf7gP9Y167WwAAAABJRU5ErkJggg==';

/** The echo model's whole answer to one streamed request. */
async function echo(b: Awaited<ReturnType<typeof backend>>, content: unknown[], model = 'dev-echo') {
  const res = await postJson(
    `${b.chatgptBaseUrl}/codex/responses`,
    { model, input: [{ type: 'message', role: 'user', content }], stream: true },
    { authorization: await assertionHeader(b) },
  );
  expect(res.status).toBe(200);
  const completed = (await res.text())
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => JSON.parse(l.slice(6)))
    .find((e) => e.type === 'response.completed');
  return completed.response.output[0].content[0].text as string;
}

describe('the echo model and images', () => {
  it('accepts input_image parts and says how many images the last user message has', async () => {
    const b = await backend();
    const text = { type: 'input_text', text: 'look' };
    const image = { type: 'input_image', image_url: PNG, detail: 'high' };
    const file = { type: 'input_image', file_id: 'file_1', detail: 'auto' };
    expect(await echo(b, [text, image, file])).toBe('Echo: look [2 images]');
    expect(await echo(b, [image])).toBe('Echo: (no input) [1 image]');
    // Text-only answers are what they always were.
    expect(await echo(b, [text])).toBe('Echo: look');
    // Every body is kept, as sent.
    expect(b.modelRequests().map((r) => r.input)).toEqual([
      [{ type: 'message', role: 'user', content: [text, image, file] }],
      [{ type: 'message', role: 'user', content: [image] }],
      [{ type: 'message', role: 'user', content: [text] }],
    ]);
    b.clearRequests();
    expect(b.modelRequests()).toEqual([]);
  });

  it('lists dev-echo as taking images and dev-echo-mini as text only', async () => {
    const b = await backend();
    const res = await fetch(`${b.chatgptBaseUrl}/codex/models?client_version=0.169.0`, {
      headers: { authorization: await assertionHeader(b) },
    });
    const { models } = (await res.json()) as { models: Array<{ slug: string; input_modalities: string[] }> };
    expect(models.map((m) => [m.slug, m.input_modalities])).toEqual([
      ['dev-echo', ['text', 'image']],
      ['dev-echo-mini', ['text']],
    ]);
  });
});
