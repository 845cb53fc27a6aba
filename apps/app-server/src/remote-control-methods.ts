import type { AppContext } from './app-context.js';
import { defineMethod, type MethodSpec } from './method.js';

const statusRead = defineMethod<undefined, AppContext>({
  params: undefined,
  experimental: true,
  handle({ app }) {
    return app.remoteControl.status();
  },
});

const enable = defineMethod<undefined, AppContext>({
  params: undefined,
  experimental: true,
  handle({ app }) {
    return app.remoteControl.enable();
  },
});

const disable = defineMethod<undefined, AppContext>({
  params: undefined,
  experimental: true,
  handle({ app }) {
    return app.remoteControl.disable();
  },
});

// Params `{ephemeral?}` | null are accepted as upstream's; enablement lives in memory only here.
export const remoteControlMethods: ReadonlyArray<[string, MethodSpec<unknown, AppContext>]> = [
  ['remoteControl/status/read', statusRead],
  ['remoteControl/enable', enable],
  ['remoteControl/disable', disable],
];
