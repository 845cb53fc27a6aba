import { describe, expect, it } from 'vitest';
import { type Decision, type DecisionFacts, decide } from '../src/decision.js';

const base: DecisionFacts = {
  destination: 'assertion',
  scope: 'default',
  credentials: 'chatgpt',
  agentIdentity: 'on',
  taskReady: false,
  registrationSlow: false,
};

const bearer = (because: string): Decision => ({ send: 'bearer', because }) as Decision;
const assertion = (task: 'background' | 'thread', ready: boolean): Decision => ({
  send: 'assertion',
  task,
  ready,
});

describe('decide: one decision for headers, describe and status', () => {
  it.each<[string, Partial<DecisionFacts>, Decision]>([
    ['unrelated destination, logged in', { destination: 'none' }, { send: 'nothing' }],
    [
      'unrelated destination, not logged in',
      { destination: 'none', credentials: 'none' },
      { send: 'nothing' },
    ],
    ['not logged in', { credentials: 'none' }, { send: 'refuse', reason: 'not_logged_in' }],
    [
      'not logged in, bootstrap',
      { credentials: 'none', scope: 'bootstrap' },
      { send: 'refuse', reason: 'not_logged_in' },
    ],
    ['bootstrap with a task ready', { scope: 'bootstrap', taskReady: true }, bearer('bootstrap')],
    ['API key', { credentials: 'api_key' }, bearer('api_key')],
    ['API key, thread', { credentials: 'api_key', scope: 'thread' }, bearer('api_key')],
    ['flag off', { agentIdentity: 'off' }, bearer('flag_off')],
    ['flag off, thread', { agentIdentity: 'off', scope: 'thread' }, bearer('flag_off')],
    [
      'trusted host that takes no assertion',
      { destination: 'bearer', taskReady: true },
      bearer('bearer_host'),
    ],
    ['ChatGPT without an account', { credentials: 'chatgpt_unbound' }, bearer('not_applicable')],
    ['fallback', { agentIdentity: 'fallback' }, bearer('fallback')],
    ['fallback, thread', { agentIdentity: 'fallback', scope: 'thread' }, bearer('fallback')],
    ['default, background task cached', { taskReady: true }, assertion('background', true)],
    ['background, task cached', { scope: 'background', taskReady: true }, assertion('background', true)],
    ['default, registration to wait for', {}, assertion('background', false)],
    ['default, the wait already ran out', { registrationSlow: true }, bearer('registration_pending')],
    [
      'background, the wait already ran out',
      { scope: 'background', registrationSlow: true },
      bearer('registration_pending'),
    ],
    ['thread, task cached', { scope: 'thread', taskReady: true }, assertion('thread', true)],
    ['thread, registration to wait for', { scope: 'thread' }, assertion('thread', false)],
    [
      'thread always waits, even when the background wait ran out',
      { scope: 'thread', registrationSlow: true },
      assertion('thread', false),
    ],
  ])('%s', (_name, facts, expected) => {
    expect(decide({ ...base, ...facts })).toEqual(expected);
  });
});
