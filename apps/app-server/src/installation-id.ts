import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `$CODEX_HOME/installation_id`: read, or created once (a UUID, mode 0600) when absent or unreadable. */
export async function installationId(codexHome: string): Promise<string> {
  const path = join(codexHome, 'installation_id');
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  const trimmed = existing?.trim();
  if (trimmed && UUID.test(trimmed)) return trimmed.toLowerCase();
  const id = randomUUID();
  await mkdir(codexHome, { recursive: true, mode: 0o700 });
  await writeFile(path, id, { mode: 0o600 });
  return id;
}
