import { createModelSession, providerAuth, resolveModelProvider } from '@codex-ts/model-provider';
import type { AppContext } from '../app-context.js';
import { invalidRequest } from '../jsonrpc.js';
import { defineMethod, type MethodSpec } from '../method.js';
import {
  anyValue,
  array,
  object,
  oneOfStrings,
  optional,
  ParamsError,
  type Schema,
  str,
  tagged,
} from '../params.js';
import type { LoadedThread } from '../threads/thread-manager.js';
import type { ImageDetail, UserInput } from '../threads/thread-model.js';
import { ContextWindowLookup, modelContextWindow } from './context-window.js';
import { TurnRunner } from './turn-runner.js';
import { hasRemoteImageUrl, REMOTE_IMAGE_URL_REFUSED } from './user-input.js';

const imageDetail = optional(oneOfStrings(['auto', 'low', 'high', 'original'] as const));

/** serde's untagged `ImageReference` (`url` tried first, then `fileId`) beside the image's `detail`. */
function imageReference(): Schema<{ url: string } | { fileId: string }> {
  return {
    expected: 'untagged enum ImageReference',
    parse(value) {
      const v = value as Record<string, unknown>;
      if (typeof v.url === 'string') return { url: v.url };
      if (typeof v.fileId === 'string') return { fileId: v.fileId };
      throw new ParamsError('data did not match any variant of untagged enum ImageReference');
    },
  };
}

/**
 * Upstream's `UserInput` as codex-ts takes it: `text`, `image` (`url` or `fileId`) and `localImage`; `audio`,
 * `localAudio`, `skill` and `mention` get serde's unknown-variant error.
 */
const userInput: Schema<unknown> = tagged('UserInput', 'type', {
  text: object('Text', { text: str(), text_elements: optional(array(anyValue())) }),
  image: {
    expected: 'struct Image',
    parse(value) {
      const { detail } = object('Image', { detail: imageDetail }).parse(value);
      return { ...imageReference().parse(value), detail };
    },
  } as Schema<({ url: string } | { fileId: string }) & { detail?: ImageDetail | undefined }>,
  localImage: object('LocalImage', { path: str(), detail: imageDetail }),
});

type UserInputParams =
  | { type: 'text'; text: string; text_elements?: unknown[] | undefined }
  | { type: 'image'; url: string; detail?: ImageDetail | undefined }
  | { type: 'image'; fileId: string; detail?: ImageDetail | undefined }
  | { type: 'localImage'; path: string; detail?: ImageDetail | undefined };

/** The params as the item (and the rollout) keep them: upstream's wire `UserInput`, in its key order. */
function wireUserInput(i: UserInputParams): UserInput {
  switch (i.type) {
    case 'text':
      return { type: 'text', text: i.text, text_elements: i.text_elements ?? [] };
    case 'localImage':
      return { type: 'localImage', detail: i.detail ?? null, path: i.path };
    default:
      return 'url' in i
        ? { type: 'image', url: i.url, detail: i.detail ?? null }
        : { type: 'image', fileId: i.fileId, detail: i.detail ?? null };
  }
}

/**
 * The thread's model session: model-provider with login's thread provider (rebuilt when the auth mode changes), and
 * its model's context window from the models list of that auth mode.
 */
function modelSession(app: AppContext, thread: LoadedThread): NonNullable<LoadedThread['model']> {
  const mode = app.auth.authCached()?.mode === 'apikey' ? 'apikey' : 'chatgpt';
  if (thread.model?.mode === mode) return thread.model;
  thread.model?.session.close();
  const { provider } = resolveModelProvider(app.config.toml, { authMode: mode, env: app.env });
  const session = createModelSession({
    provider,
    auth: providerAuth(provider, { auth: app.auth.threadProvider(thread.id), env: app.env }),
    threadId: thread.id,
    client: { originator: thread.meta.originator },
    models: app.models,
    env: app.env,
  });
  const contextWindow = new ContextWindowLookup(
    app.models.list().then((models) => modelContextWindow(models, thread.meta.model)),
  );
  thread.model = { mode, session, contextWindow };
  return thread.model;
}

const turnStart = defineMethod<
  {
    threadId: string;
    input: UserInputParams[];
    clientUserMessageId?: string | undefined;
    rootTurnId?: string | undefined;
  },
  AppContext
>({
  params: object('TurnStartParams', {
    threadId: str(),
    input: array(userInput),
    model: optional(str()),
    effort: optional(str()),
    summary: optional(oneOfStrings(['auto', 'concise', 'detailed', 'none'] as const)),
    clientUserMessageId: optional(str()),
    rootTurnId: optional(str()),
  }) as never,
  handle({ params, connection, app, after }) {
    const thread = app.threads.require(params.threadId);
    if (thread.activeTurn) throw invalidRequest(`thread ${thread.id} already has a turn in progress`);
    app.clients.follow(thread.id, connection);
    const input = params.input.map(wireUserInput);
    if (hasRemoteImageUrl(input)) throw invalidRequest(REMOTE_IMAGE_URL_REFUSED);
    const runner = new TurnRunner(app, thread, modelSession(app, thread), input, {
      clientUserMessageId: params.clientUserMessageId ?? null,
      rootTurnId: params.rootTurnId ?? null,
    });
    thread.activeTurn = { id: runner.turnId, abort: runner.abort };
    // The model request goes first; the answer and the turn's notifications follow a turn of the event loop later,
    // once the request has normally been handed to the socket (a turn with images is answered before its files
    // are read).
    runner.start();
    after(() => {
      void runner.run();
    });
    return new Promise((resolve) => setImmediate(() => resolve({ turn: runner.initialTurn() })));
  },
});

const turnInterrupt = defineMethod<{ threadId: string; turnId: string }, AppContext>({
  params: object('TurnInterruptParams', { threadId: str(), turnId: str() }),
  handle({ params, app }) {
    const thread = app.threads.require(params.threadId);
    if (thread.activeTurn?.id !== params.turnId)
      throw invalidRequest(`no turn in progress with id ${params.turnId}`);
    thread.activeTurn.abort.abort(new Error('turn interrupted'));
    return {};
  },
});

export const turnMethods: ReadonlyArray<[string, MethodSpec<unknown, AppContext>]> = [
  ['turn/start', turnStart],
  ['turn/interrupt', turnInterrupt],
];
