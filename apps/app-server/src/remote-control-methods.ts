import { hostname } from 'node:os';
import type { AppContext } from './app-context.js';
import { defineMethod, type MethodSpec } from './method.js';

/**
 * Remote control's status. This server does not enroll with the backend (yet), so the status is `disabled`,
 * truthfully; upstream sends it once after `initialize` and on every change.
 */
export function remoteControlStatus(app: AppContext): Record<string, unknown> {
  return {
    status: 'disabled',
    serverName: hostname(),
    installationId: app.installationId,
    environmentId: null,
  };
}

const statusRead = defineMethod<undefined, AppContext>({
  params: undefined,
  experimental: true,
  handle({ app }) {
    return remoteControlStatus(app);
  },
});

export const remoteControlMethods: ReadonlyArray<[string, MethodSpec<unknown, AppContext>]> = [
  ['remoteControl/status/read', statusRead],
];
