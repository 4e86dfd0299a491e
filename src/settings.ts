/**
 * User settings (`callhome config get|set|list`), kept with conf. Defaults only: never a secret.
 * The back-end token is referenced by the name of an environment variable, not stored.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Conf from 'conf';
import { readSessionToken } from './session.js';
import { z } from 'zod';
import { AbortError } from './errors.js';

/** True when a URL carries `user[:password]@`. */
function hasCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}

export const SettingsSchema = z.object({
  concurrency: z.number().int().min(1).max(5000).default(50),
  /** Per-command read timeout, seconds. */
  timeout: z.number().positive().max(3600).default(30),
  /** Connect timeout, seconds. */
  connectTimeout: z.number().positive().max(600).default(10),
  knownHosts: z.string().min(1).optional(),
  backendUrl: z
    .string()
    .url()
    .refine((url) => /^https?:\/\//i.test(url), 'must start with http:// or https://')
    // A password in a URL is a secret like any other: settings never hold one.
    .refine((url) => !hasCredentials(url), 'must not hold a user name or password (settings never store secrets; give the token with $CALLHOME_TOKEN)')
    .default('http://127.0.0.1:8080'),
  /** Name of the environment variable holding the back-end token. */
  tokenEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default('CALLHOME_TOKEN'),
  /** Connection attempts per device (refused or timed-out connections only; never once a command was sent). */
  connectAttempts: z.number().int().min(1).max(10).default(3),
  /** How people read timestamps: `utc` (2026-12-06 09:21:20Z) or `local` (with its offset). */
  timeZone: z.enum(['utc', 'local']).default('utc'),
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingKey = keyof Settings;
export const SETTING_KEYS = Object.keys(SettingsSchema.shape) as SettingKey[];

/** Opens the settings file; `CALLHOME_CONFIG_DIR` moves it (tests point it at a temp dir). */
export function openSettingsStore(cwd = process.env['CALLHOME_CONFIG_DIR']): Conf<Record<string, unknown>> {
  return new Conf<Record<string, unknown>>({ projectName: 'callhome', ...(cwd ? { cwd } : {}) });
}

/** Reads and validates the settings; a broken file is an error that says where it is. */
export function loadSettings(store = openSettingsStore()): Settings {
  const parsed = SettingsSchema.safeParse(store.store);
  if (!parsed.success) {
    throw new AbortError(
      `The settings file ${store.path} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      'Fix it with `callhome config set KEY VALUE` or delete the file to return to the defaults.',
    );
  }
  return parsed.data;
}

/** Refuses a back-end URL without an http(s) scheme (`127.0.0.1:8080` would be read as scheme `127.0.0.1`). */
export function checkBackendUrl(url: string, where: string): void {
  if (/^https?:\/\/[^/\s]/i.test(url)) return;
  throw new AbortError(`${where} "${url}" is not an http:// or https:// URL.`, `Give the scheme too, e.g. http://${url.replace(/^[a-z]+:\/+/i, '') || '127.0.0.1:8080'}.`);
}

/** The first line of a token file (`--token-file`); an unreadable or empty file is an error, never "no token". */
export function readTokenFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AbortError(`Cannot read the token file ${file}: ${e instanceof Error ? e.message : String(e)}`, 'Give a readable file holding the token on its first line (chmod 600).');
  }
  const token = (text.split(/\r?\n/)[0] ?? '').trim();
  if (!token) throw new AbortError(`The token file ${file} is empty.`, 'Put the token on its first line.');
  return token;
}

/** Where the back end is and how to authenticate, from flags, then environment, then settings. */
export type BackendConnection = {
  readonly url: string;
  readonly token: string | undefined;
  /** Where the token came from: `session` is the one `callhome login` stored (a 401 then means "log in again"). */
  readonly tokenSource?: 'flag' | 'file' | 'env' | 'session' | undefined;
};

/** The directory of the settings file (and of the login sessions, src/client/session.ts). */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['CALLHOME_CONFIG_DIR'] ?? dirname(openSettingsStore().path);
}

/** The back end's URL from `--backend`, then $CALLHOME_BACKEND, then settings (without a trailing slash). */
export function resolveBackendUrl(flags: { readonly backend?: string | undefined }, settings: Settings = loadSettings(), env: NodeJS.ProcessEnv = process.env): string {
  const url = flags.backend ?? env['CALLHOME_BACKEND'] ?? settings.backendUrl;
  checkBackendUrl(url, flags.backend !== undefined ? '--backend' : env['CALLHOME_BACKEND'] !== undefined ? '$CALLHOME_BACKEND' : 'The backendUrl setting');
  return url.replace(/\/+$/, '');
}

/** Resolves `--backend`/`--token` (docs/cli.md: flags, then CALLHOME_BACKEND / CALLHOME_TOKEN, then settings). */
export function resolveBackendConnection(
  flags: { readonly backend?: string | undefined; readonly token?: string | undefined; readonly tokenFile?: string | undefined },
  settings: Settings = loadSettings(),
  env: NodeJS.ProcessEnv = process.env,
): BackendConnection {
  const base = resolveBackendUrl(flags, settings, env);
  // A token on the command line is visible in `ps`; --token-file and the environment are not.
  if (flags.token !== undefined) return { url: base, token: flags.token, tokenSource: 'flag' };
  if (flags.tokenFile) return { url: base, token: readTokenFile(flags.tokenFile), tokenSource: 'file' };
  const fromEnv = env['CALLHOME_TOKEN'] ?? env[settings.tokenEnv];
  if (fromEnv !== undefined) return { url: base, token: fromEnv, tokenSource: 'env' };
  // Last, the personal token `callhome login` stored for this back end (a 0600 file, never the settings).
  const stored = readSessionToken(configDir(env), base);
  return stored !== undefined ? { url: base, token: stored, tokenSource: 'session' } : { url: base, token: undefined };
}
