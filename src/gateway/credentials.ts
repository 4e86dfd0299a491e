/**
 * The gateway's ID and password (S81, S83), kept in `credentials.json` (mode 0600) in the queue
 * directory — never in the queue database or the log. A rotated password replaces the file atomically.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Credentials } from './forward.js';

const StoredCredentials = z.object({ id: z.string().min(1), password: z.string().min(1), name: z.string(), registeredAt: z.string() });
export type StoredCredentials = z.infer<typeof StoredCredentials>;

export function credentialsFile(dir: string): string {
  return join(dir, 'credentials.json');
}

/** The stored credentials, or undefined when the gateway is not registered yet. */
export function readCredentials(dir: string): StoredCredentials | undefined {
  let text: string;
  try {
    text = readFileSync(credentialsFile(dir), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = StoredCredentials.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${credentialsFile(dir)} is not a gateway credentials file; register again.`);
  return parsed.data;
}

export function writeCredentials(dir: string, c: StoredCredentials): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = credentialsFile(dir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(c, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/**
 * A live view of the file for the forwarder: re-read when the file changes (an administrator's reset
 * written by `callhome gateway reset-password` reaches the running gateway), written through on rotation.
 */
export function credentialsStore(dir: string): { get(): Credentials | undefined; rotate(password: string): void } {
  const stamp = (): number => {
    try {
      return statSync(credentialsFile(dir)).mtimeMs;
    } catch {
      return -1;
    }
  };
  let seen = stamp();
  let current = readCredentials(dir);
  return {
    get: () => {
      const now = stamp();
      if (now !== seen) {
        seen = now;
        current = readCredentials(dir);
      }
      return current;
    },
    rotate(password) {
      if (!current) return;
      current = { ...current, password };
      writeCredentials(dir, current);
      seen = stamp();
    },
  };
}
