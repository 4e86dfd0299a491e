/**
 * The personal token `callhome login` received, kept per back end under the user's config directory:
 * `sessions/<key>.token` (the token alone, mode 0600) and `sessions/<key>.json` (who, until when; no
 * secret), in a 0700 directory. Settings never hold the token; resolveBackendConnection reads the file
 * only when no flag or environment variable names a token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AbortError } from './errors.js';

/** What is remembered about a login besides the token (shown by the status line and `callhome login --status`). */
export const StoredSessionSchema = z.object({
  backend: z.string(),
  user: z.string(),
  name: z.string().nullable(),
  /** "Administrator of Acme", one entry per company. */
  companies: z.array(z.object({ company: z.string(), role: z.string() })),
  schAdmin: z.boolean(),
  tokenId: z.string().nullable(),
  expiresAt: z.string().nullable(),
  loggedInAt: z.string(),
});
export type StoredSession = z.infer<typeof StoredSessionSchema>;

/** A session and the file its token is in. */
export type SessionOnDisk = { readonly session: StoredSession; readonly tokenFile: string };

const sessionsDir = (configDir: string): string => join(configDir, 'sessions');
/** One file name per back-end URL, so logins to two back ends do not replace each other. */
const keyOf = (backendUrl: string): string => createHash('sha256').update(backendUrl.replace(/\/+$/, '')).digest('hex').slice(0, 16);

/** Paths of the session of a back end. */
export function sessionPaths(configDir: string, backendUrl: string): { readonly dir: string; readonly tokenFile: string; readonly infoFile: string } {
  const dir = sessionsDir(configDir);
  const key = keyOf(backendUrl);
  return { dir, tokenFile: join(dir, `${key}.token`), infoFile: join(dir, `${key}.json`) };
}

/** Writes a file only its owner can read, atomically (a reader never sees half a token). */
function writePrivate(file: string, text: string): void {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
  try {
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Stores the token and what it is for; returns the token file's path. */
export function saveSession(configDir: string, session: StoredSession, token: string): string {
  const paths = sessionPaths(configDir, session.backend);
  try {
    mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
    chmodSync(paths.dir, 0o700);
    writePrivate(paths.tokenFile, `${token}\n`);
    writePrivate(paths.infoFile, `${JSON.stringify(session, null, 2)}\n`);
  } catch (e) {
    throw new AbortError(`Cannot store the login token under ${paths.dir}: ${e instanceof Error ? e.message : String(e)}`, 'Make the directory writable (or move it with CALLHOME_CONFIG_DIR), then log in again.');
  }
  return paths.tokenFile;
}

/** The stored session of a back end, or null when there is none (or it is unreadable). */
export function readSession(configDir: string, backendUrl: string): SessionOnDisk | null {
  const paths = sessionPaths(configDir, backendUrl);
  let text: string;
  try {
    text = readFileSync(paths.infoFile, 'utf8');
  } catch {
    return null;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = StoredSessionSchema.safeParse(raw);
  return parsed.success ? { session: parsed.data, tokenFile: paths.tokenFile } : null;
}

/**
 * The stored token of a back end, or undefined. A token file others can read is refused (as ssh refuses
 * such a key): the token is a password, and a copy left readable must not be used silently.
 */
export function readSessionToken(configDir: string, backendUrl: string): string | undefined {
  const { tokenFile } = sessionPaths(configDir, backendUrl);
  let mode: number;
  try {
    mode = statSync(tokenFile).mode;
  } catch {
    return undefined;
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new AbortError(`The login token file ${tokenFile} can be read by other users (mode ${(mode & 0o777).toString(8)}).`, `Run \`chmod 600 ${tokenFile}\`, or log in again with \`callhome login\`.`);
  }
  const token = (readFileSync(tokenFile, 'utf8').split(/\r?\n/)[0] ?? '').trim();
  return token === '' ? undefined : token;
}

/** Removes the stored session of a back end; true when there was one. */
export function removeSession(configDir: string, backendUrl: string): boolean {
  const paths = sessionPaths(configDir, backendUrl);
  let existed = false;
  for (const f of [paths.tokenFile, paths.infoFile]) {
    try {
      statSync(f);
      existed = true;
    } catch {
      continue;
    }
    rmSync(f, { force: true });
  }
  return existed;
}

/** "Administrator of Acme, User of Globex" (or the SCH administrator), for status lines. */
export function describeMemberships(s: Pick<StoredSession, 'companies' | 'schAdmin'>): string {
  const parts = s.companies.map((c) => `${roleLabel(c.role)} of ${c.company}`);
  if (s.schAdmin) parts.unshift('SCH administrator (every company)');
  return parts.length === 0 ? 'no company yet' : parts.join(', ');
}

/** A role as people read it. */
export function roleLabel(role: string): string {
  const r = role.toLowerCase();
  return r === 'administrator' || r === 'admin' ? 'Administrator' : r === 'user' ? 'User' : role;
}
