import { createModelSession, providerAuth, resolveModelProvider } from '@codex-ts/model-provider';
import type { AppContext } from '../app-context.js';
import { invalidRequest } from '../jsonrpc.js';
import { defineMethod, type MethodSpec } from '../method.js';
import { anyValue, array, object, oneOfStrings, optional, str, tagged } from '../params.js';
import type { LoadedThread } from '../threads/thread-manager.js';
import type { UserInput } from '../threads/thread-model.js';
import { ContextWindowLookup, modelContextWindow } from './context-window.js';
import { TurnRunner } from './turn-runner.js';

const userInput = tagged('UserInput', 'type', {
  text: object('Text', { text: str(), text_elements: optional(array(anyValue())) }),
});

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
    input: Array<{ type: 'text'; text: string; text_elements?: unknown[] }>;
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
    const input: UserInput[] = params.input.map((i) => ({
      type: 'text',
      text: i.text,
      text_elements: i.text_elements ?? [],
    }));
    const runner = new TurnRunner(app, thread, modelSession(app, thread), input, {
      clientUserMessageId: params.clientUserMessageId ?? null,
      rootTurnId: params.rootTurnId ?? null,
    });
    thread.activeTurn = { id: runner.turnId, abort: runner.abort };
    after(() => {
      void runner.run();
    });
    return { turn: runner.initialTurn() };
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
