/**
 * User settings (`callhome config get|set|list`), kept with conf. Defaults only: never a secret.
 * The back-end token is referenced by the name of an environment variable, not stored.
 */
import Conf from 'conf';
import { z } from 'zod';
import { AbortError } from './errors.js';

export const SettingsSchema = z.object({
  concurrency: z.number().int().min(1).max(5000).default(50),
  /** Per-command read timeout, seconds. */
  timeout: z.number().positive().max(3600).default(30),
  /** Connect timeout, seconds. */
  connectTimeout: z.number().positive().max(600).default(10),
  knownHosts: z.string().min(1).optional(),
  backendUrl: z.string().url().default('http://127.0.0.1:8080'),
  /** Name of the environment variable holding the back-end token. */
  tokenEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default('CALLHOME_TOKEN'),
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

/** Where the back end is and how to authenticate, from flags, then environment, then settings. */
export type BackendConnection = { readonly url: string; readonly token: string | undefined };

/** Resolves `--backend`/`--token` (docs/cli.md: flags, then CALLHOME_BACKEND / CALLHOME_TOKEN, then settings). */
export function resolveBackendConnection(
  flags: { readonly backend?: string | undefined; readonly token?: string | undefined },
  settings: Settings = loadSettings(),
  env: NodeJS.ProcessEnv = process.env,
): BackendConnection {
  const url = flags.backend ?? env['CALLHOME_BACKEND'] ?? settings.backendUrl;
  const token = flags.token ?? env['CALLHOME_TOKEN'] ?? env[settings.tokenEnv];
  return { url: url.replace(/\/+$/, ''), token };
}
