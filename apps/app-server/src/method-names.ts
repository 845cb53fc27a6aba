/** Names of the methods served besides `initialize` (static, so errors never wait for the services). */
export const METHOD_NAMES = [
  'account/read',
  'account/login/start',
  'account/login/cancel',
  'account/logout',
  'account/agentIdentity/read',
  'thread/start',
  'thread/resume',
  'thread/list',
  'thread/read',
  'thread/archive',
  'thread/unarchive',
  'app/list',
  'remoteControl/status/read',
  'remoteControl/enable',
  'remoteControl/disable',
] as const;
