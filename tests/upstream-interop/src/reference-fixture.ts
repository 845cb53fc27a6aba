import { readFile, writeFile } from 'node:fs/promises';
import type { TranscriptEntry } from './app-server-session.js';

/** The recorded, normalised reference session of an upstream release (`fixtures/`, beside `src/` and `dist/`). */
export function referenceFixtureUrl(version: string): URL {
  return new URL(`../fixtures/app-server-session.${version}.json`, import.meta.url);
}

/** Reads the reference transcript that upstream `version` produced for runReferenceSession, normalised. */
export async function loadReferenceTranscript(version: string): Promise<TranscriptEntry[]> {
  return JSON.parse(await readFile(referenceFixtureUrl(version), 'utf8')) as TranscriptEntry[];
}

/** Replaces the reference transcript of `version` (a human re-recording upstream, then reviewing the diff). */
export async function saveReferenceTranscript(version: string, transcript: readonly TranscriptEntry[]) {
  await writeFile(referenceFixtureUrl(version), `${JSON.stringify(transcript, null, 2)}\n`);
}
