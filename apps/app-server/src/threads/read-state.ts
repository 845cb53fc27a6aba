import { randomUUID } from 'node:crypto';
import type { ReadReceipt, Turn } from './thread-model.js';

export type UnreadPosition =
  | { readonly type: 'threadStart' }
  | { readonly type: 'turn'; readonly turnId: string };

/** The wire `ThreadReadState`. */
export interface WireReadState {
  readonly firstUnread: UnreadPosition | null;
  readonly revision: string;
}

/**
 * Every codex-ts thread is eligible for a read state: none is ephemeral, a sub-agent's or a non-user source (the
 * scopes upstream leaves without one).
 */
export function wireReadState(threadId: string, receipt: ReadReceipt | undefined): WireReadState {
  if (!receipt) return { firstUnread: null, revision: `initial:${threadId}` };
  const first = receipt.firstUnreadTurn;
  return {
    firstUnread:
      first === null ? null : first === '' ? { type: 'threadStart' } : { type: 'turn', turnId: first },
    revision: receipt.revision,
  };
}

function finalAgentText(turn: Turn): string | undefined {
  for (let i = turn.items.length - 1; i >= 0; i--) {
    const item = turn.items[i]!;
    if (item.type === 'agentMessage') return item.text;
  }
  return undefined;
}

/**
 * Whether a finished turn is a result the user should see, upstream's policy for a user thread without goals: a
 * failed turn; a completed turn whose final agent message has text (and does not ask not to notify); an interrupted
 * turn that produced an agent message or an error.
 */
export function needsAttention(turn: Turn): boolean {
  const text = finalAgentText(turn);
  switch (turn.status) {
    case 'failed':
      return true;
    case 'completed':
      return text !== undefined && text.trim() !== '' && !text.includes('<decision>DONT_NOTIFY</decision>');
    case 'interrupted':
      return turn.error !== null || text !== undefined;
    default:
      return false;
  }
}

/**
 * The receipt once a finished turn's result is published, or undefined when it changes nothing. The first unread
 * position stays where it was when one is already set; the revision always changes.
 */
export function publishTurn(receipt: ReadReceipt | undefined, turn: Turn): ReadReceipt | undefined {
  if (!needsAttention(turn) || receipt?.lastPublishedTurn === turn.id) return undefined;
  return {
    firstUnreadTurn: receipt?.firstUnreadTurn ?? turn.id,
    revision: randomUUID(),
    lastPublishedTurn: turn.id,
  };
}

/** A client's mark (`thread/readState/update`): applied only to the revision the client saw. */
export function markThread(
  threadId: string,
  receipt: ReadReceipt | undefined,
  expectedRevision: string,
  operation: 'read' | 'unread',
): { readonly applied: true; readonly receipt: ReadReceipt } | { readonly applied: false } {
  if (wireReadState(threadId, receipt).revision !== expectedRevision) return { applied: false };
  return {
    applied: true,
    receipt: {
      firstUnreadTurn: operation === 'read' ? null : '',
      revision: randomUUID(),
      lastPublishedTurn: receipt?.lastPublishedTurn ?? null,
    },
  };
}

export function isReadReceipt(p: unknown): p is ReadReceipt {
  if (typeof p !== 'object' || p === null) return false;
  const r = p as Record<string, unknown>;
  const nullableString = (v: unknown) => v === null || typeof v === 'string';
  return (
    typeof r.revision === 'string' && nullableString(r.firstUnreadTurn) && nullableString(r.lastPublishedTurn)
  );
}
