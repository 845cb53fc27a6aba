import type { TranscriptEntry } from './app-server-session.js';
import type { SessionOutcomes } from './comparable-session.js';
import {
  type AllowedDifference,
  compareShapes,
  mergeShapes,
  type Shape,
  type ShapeDifference,
  shapeOf,
  unexplained,
  unused,
} from './shape-compare.js';

/** One side of the comparison: the step outcomes and every message of the session. */
export interface ComparedRun {
  outcomes: SessionOutcomes;
  transcript: readonly TranscriptEntry[];
}

export interface SessionComparison {
  /** Steps both servers answered with a result (compared). */
  comparedSteps: string[];
  /** Notification methods both servers sent (compared). */
  comparedNotifications: string[];
  /** Steps whose method we do not serve (upstream does): not compared, listed so nothing passes silently. */
  notServedByUs: string[];
  /** Notification methods upstream sent and we did not. */
  notSentByUs: string[];
  /** Steps where one answered with a result and the other with an error (or both errors with different codes). */
  outcomeMismatches: { step: string; ours: string; upstream: string }[];
  /** Differences in shape no allow-list entry explains, prefixed `<step>: result…` or `<method>: params…`. */
  differences: ShapeDifference[];
  /** How many differences the allow-list explained. */
  allowedCount: number;
  /** Allow-list entries that explained nothing this run (a closed gap: remove the entry). */
  unusedAllowances: AllowedDifference[];
}

const outcomeName = (o: SessionOutcomes extends Map<string, infer V> ? V : never): string =>
  o.kind === 'result' ? 'result' : o.kind === 'error' ? `error ${o.code}` : 'unknown method';

/** The merged shape of the params of every notification of each method the server sent. */
function notificationShapes(transcript: readonly TranscriptEntry[]): Map<string, Shape | undefined> {
  const byMethod = new Map<string, Shape[]>();
  for (const { from, message } of transcript) {
    if (from !== 'server' || typeof message.method !== 'string' || message.id !== undefined) continue;
    const list = byMethod.get(message.method) ?? [];
    list.push(shapeOf({ params: message.params ?? null }));
    byMethod.set(message.method, list);
  }
  return new Map([...byMethod].map(([m, shapes]) => [m, mergeShapes(shapes)]));
}

/**
 * Compares our run of the comparable session with upstream's: for every step both answered, the result's keys and
 * JSON types, recursively; for every notification method both sent, the params' (all of that method's
 * notifications merged). `allowed` paths are `<step or method>: <path>` (a trailing `*` matches a prefix).
 */
export function compareSessions(
  ours: ComparedRun,
  upstream: ComparedRun,
  allowed: readonly AllowedDifference[] = [],
): SessionComparison {
  const comparison: SessionComparison = {
    comparedSteps: [],
    comparedNotifications: [],
    notServedByUs: [],
    notSentByUs: [],
    outcomeMismatches: [],
    differences: [],
    allowedCount: 0,
    unusedAllowances: [],
  };
  const differences: ShapeDifference[] = [];
  for (const [step, theirs] of upstream.outcomes) {
    const mine = ours.outcomes.get(step);
    if (mine === undefined) {
      comparison.outcomeMismatches.push({ step, ours: 'not reached', upstream: outcomeName(theirs) });
      continue;
    }
    if (mine.kind === 'unknownMethod' && theirs.kind !== 'unknownMethod') {
      comparison.notServedByUs.push(step);
      continue;
    }
    if (mine.kind === 'result' && theirs.kind === 'result') {
      comparison.comparedSteps.push(step);
      const found = compareShapes(shapeOf({ result: mine.result }), shapeOf({ result: theirs.result }));
      differences.push(...found.map((d) => ({ ...d, path: `${step}: ${d.path}` })));
      continue;
    }
    if (outcomeName(mine) !== outcomeName(theirs)) {
      comparison.outcomeMismatches.push({ step, ours: outcomeName(mine), upstream: outcomeName(theirs) });
    }
  }
  for (const step of ours.outcomes.keys()) {
    if (!upstream.outcomes.has(step)) {
      comparison.outcomeMismatches.push({
        step,
        ours: outcomeName(ours.outcomes.get(step)!),
        upstream: 'not reached',
      });
    }
  }
  const mineNotes = notificationShapes(ours.transcript);
  for (const [method, theirs] of notificationShapes(upstream.transcript)) {
    if (!mineNotes.has(method)) {
      comparison.notSentByUs.push(method);
      continue;
    }
    comparison.comparedNotifications.push(method);
    const found = compareShapes(mineNotes.get(method), theirs);
    differences.push(...found.map((d) => ({ ...d, path: `${method}: ${d.path}` })));
  }
  comparison.differences = unexplained(differences, allowed);
  comparison.allowedCount = differences.length - comparison.differences.length;
  comparison.unusedAllowances = unused(differences, allowed);
  return comparison;
}
