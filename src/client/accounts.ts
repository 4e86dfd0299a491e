/**
 * The people of the service from the command line (issue 15): log in and out, roles, device
 * preferences. The logic lives here; the commands in commands/ parse flags and print what these
 * return. Every call goes through the zod-validated API client.
 */
import { readFileSync } from 'node:fs';
import { COMPANY_ROLES } from '../domain/permissions.js';
import { AbortError } from '../errors.js';
import { configDir, loadSettings, readTokenFile, resolveBackendConnection, resolveBackendUrl } from '../settings.js';
import { describeMemberships, readSession, removeSession, saveSession, type StoredSession } from '../session.js';
import { ApiError, createApiClient, type ApiClient, type ApiMe, type ApiPreferences, type ApiUser, type PreferencesChange } from './api-client.js';
import type { OutputDeps } from './output.js';

/** The flags every command here takes to reach the back end. */
export type BackendFlags = { backend?: string | undefined; token?: string | undefined; tokenFile?: string | undefined; json?: boolean | undefined };

/** What these commands read besides the flags; tests pass their own. */
export type AccountsDeps = OutputDeps & {
  readonly env?: NodeJS.ProcessEnv;
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** Asks for the password on a terminal without echo (commands pass the fleet's promptSecret). */
  readonly askPassword?: (question: string) => Promise<string>;
  /** Asks a yes/no question on a terminal (the legal agreement); absent: never asks. */
  readonly confirm?: (question: string) => Promise<boolean>;
};

const envOf = (deps: AccountsDeps): NodeJS.ProcessEnv => deps.env ?? process.env;
/** The API client for the flags (flags, environment, then the stored login). */
export function accountsClient(flags: BackendFlags, deps: AccountsDeps): ApiClient {
  if (deps.client) return deps.client;
  return createApiClient(resolveBackendConnection(flags, loadSettings(), envOf(deps)));
}

/** "Administrator of Acme, User of Globex". */
export function rolesText(u: Pick<ApiUser, 'companies' | 'schAdmin'>): string {
  return describeMemberships(u);
}

/** The role as the back end takes it: `administrator` or `user` (any case, `admin` too). */
export function parseRole(text: string | undefined): string {
  const r = (text ?? '').trim().toLowerCase();
  const role = r === 'admin' ? 'administrator' : r;
  if (!(COMPANY_ROLES as readonly string[]).includes(role)) throw new AbortError(`"${text ?? ''}" is not a role.`, `Give ${COMPANY_ROLES.join(' or ')}.`);
  return role;
}

/** The first line of a stream (a password piped in), without waiting for more. */
async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.includes('\n') || text.length > 4096) break;
  }
  return (text.split(/\r?\n/)[0] ?? '').replace(/\r$/, '');
}

// ---------------------------------------------------------------- login / logout / whoami

export type LoginOptions = BackendFlags & { user?: string | undefined; passwordFile?: string | undefined; acceptAgreement?: boolean | undefined };

/**
 * The password, never from a flag value (it would show in `ps`): `--password-file FILE` (first line),
 * `$CALLHOME_LOGIN_PASSWORD`, a prompt without echo on a terminal, or the first line of a pipe.
 */
async function loginPassword(opts: LoginOptions, user: string, deps: AccountsDeps): Promise<string> {
  if (opts.passwordFile) {
    let text: string;
    try {
      text = readFileSync(opts.passwordFile, 'utf8');
    } catch (e) {
      throw new AbortError(`Cannot read the password file ${opts.passwordFile}: ${e instanceof Error ? e.message : String(e)}`, 'Give a readable file holding the password on its first line (chmod 600).');
    }
    return (text.split(/\r?\n/)[0] ?? '').replace(/\r$/, '');
  }
  const fromEnv = envOf(deps)['CALLHOME_LOGIN_PASSWORD'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const stdin = deps.stdin ?? process.stdin;
  if (stdin.isTTY === true && deps.askPassword) return deps.askPassword(`Password for ${user}: `);
  if (stdin.isTTY === true) throw new AbortError('No password given.', 'Set $CALLHOME_LOGIN_PASSWORD or give --password-file FILE.');
  return firstLine(stdin);
}

/** What a login gave: who, until when, and the file holding the token (the token itself is never returned for printing). */
export type LoginResult = {
  readonly backend: string;
  readonly user: ApiUser;
  readonly tokenId: string | null;
  readonly expiresAt: string | null;
  readonly tokenFile: string;
  /** The legal agreement (S29): accepted now or before, or still pending (then nothing but the agreement answers). */
  readonly legalAgreement: { readonly version: string; readonly accepted: boolean; readonly text?: string | undefined };
};

/**
 * Exchanges the password for a personal token and stores it (a 0600 file under the config directory, never
 * the settings). A previous login to the same back end is revoked (best effort). When the legal agreement is
 * not accepted yet, it is shown and accepted with --accept-agreement or a "yes" on the terminal.
 */
export async function login(opts: LoginOptions, deps: AccountsDeps): Promise<LoginResult> {
  const env = envOf(deps);
  const url = resolveBackendUrl(opts, loadSettings(), env);
  const user = (opts.user ?? env['CALLHOME_USER'] ?? '').trim();
  if (user === '') throw new AbortError('No user to log in as.', 'Name the user: callhome login USER (or set $CALLHOME_USER).');
  const password = await loginPassword(opts, user, deps);
  if (password === '') throw new AbortError(`No password for ${user}.`, 'Type it at the prompt, pipe it in, set $CALLHOME_LOGIN_PASSWORD or give --password-file FILE.');
  let answer: Awaited<ReturnType<ApiClient['login']>>;
  try {
    answer = await (deps.client ?? createApiClient({ url, token: undefined })).login(user, password, 'callhome login');
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403 || e.status === 429)) {
      throw new AbortError(`The back end at ${url} refused the login of ${user}.`, e.status === 429 ? 'Wait, then try again: repeated wrong passwords are slowed down.' : 'Check the user ID and the password.');
    }
    throw e;
  }
  const dir = configDir(env);
  const previous = readSession(dir, url);
  if (previous !== null) await revokeStored(url, previous.tokenFile).catch(() => undefined);
  const session: StoredSession = {
    backend: url,
    user: answer.user.id,
    name: answer.user.name,
    companies: answer.user.companies.map((m) => ({ company: m.company, role: m.role })),
    schAdmin: answer.user.schAdmin,
    tokenId: answer.tokenId,
    expiresAt: answer.expiresAt,
    loggedInAt: new Date().toISOString(),
  };
  const tokenFile = saveSession(dir, session, answer.token);
  const base = { backend: url, user: answer.user, tokenId: answer.tokenId, expiresAt: answer.expiresAt, tokenFile };
  if (answer.legalAgreement.accepted) return { ...base, legalAgreement: answer.legalAgreement };
  const api = createApiClient({ url, token: answer.token, tokenSource: 'session' });
  const agreement = await api.agreement();
  const accept = opts.acceptAgreement === true || (deps.confirm !== undefined && (await deps.confirm(`${agreement.text}\n\nAccept the legal agreement version ${agreement.version}? [y/N] `)));
  if (!accept) return { ...base, legalAgreement: { version: agreement.version, accepted: false, text: agreement.text } };
  await api.acceptAgreement(agreement.version);
  return { ...base, user: { ...answer.user, status: 'active' }, legalAgreement: { version: agreement.version, accepted: true } };
}

/** Revokes the token in a session's file at its back end. */
async function revokeStored(url: string, tokenFile: string): Promise<void> {
  await createApiClient({ url, token: readTokenFile(tokenFile), tokenSource: 'session' }).logout();
}

export type LogoutOptions = Pick<BackendFlags, 'backend'>;
export type LogoutResult = { readonly backend: string; readonly loggedOut: boolean; readonly user: string | null };

/**
 * Revokes the stored token at the back end and removes it from disk. The files go even when the back
 * end cannot be reached; that case is an error saying the token stays valid until it expires.
 */
export async function logout(opts: LogoutOptions, deps: AccountsDeps): Promise<LogoutResult> {
  const env = envOf(deps);
  const url = resolveBackendUrl(opts, loadSettings(), env);
  const dir = configDir(env);
  const stored = readSession(dir, url);
  if (stored === null) {
    removeSession(dir, url);
    return { backend: url, loggedOut: false, user: null };
  }
  let revokeProblem: unknown = null;
  try {
    if (deps.client) await deps.client.logout();
    else await revokeStored(url, stored.tokenFile);
  } catch (e) {
    // A token the back end no longer takes is as good as revoked.
    if (!(e instanceof ApiError && e.status === 401)) revokeProblem = e;
  }
  removeSession(dir, url);
  if (revokeProblem !== null) {
    const why = revokeProblem instanceof Error ? revokeProblem.message : String(revokeProblem);
    throw new AbortError(
      `Logged out locally (the token file is removed), but the back end could not revoke the token: ${why}`,
      `The token stays valid${stored.session.expiresAt ? ` until ${stored.session.expiresAt}` : ''}; once the back end is reachable, log in and revoke it with \`callhome tokens revoke ${stored.session.tokenId ?? 'ID'}\`.`,
    );
  }
  return { backend: url, loggedOut: true, user: stored.session.user };
}

/** Who the back end takes the caller for, and where the token came from. */
export async function whoami(opts: BackendFlags, deps: AccountsDeps): Promise<{ backend: string; me: ApiMe; tokenSource: string | null }> {
  const connection = resolveBackendConnection(opts, loadSettings(), envOf(deps));
  const me = await (deps.client ?? createApiClient(connection)).me();
  return { backend: connection.url, me, tokenSource: connection.tokenSource ?? null };
}

/** A required positional or flag, or an error with an example. */
export function required(value: string | undefined, what: string, example: string): string {
  if (value === undefined || value.trim() === '') throw new AbortError(`Missing ${what}.`, `For example: ${example}`);
  return value.trim();
}

// ---------------------------------------------------------------- preferences

/** The preference flags of `callhome preferences set`. */
export type PreferenceFlags = {
  notifications?: string | undefined;
  serviceRequests?: string | undefined;
  srContact?: string | undefined;
  emails?: string | undefined;
  addEmail?: string[] | undefined;
  removeEmail?: string[] | undefined;
};

function onOff(value: string | undefined, flag: string): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (['on', 'yes', 'true', '1'].includes(v)) return true;
  if (['off', 'no', 'false', '0'].includes(v)) return false;
  throw new AbortError(`${flag} "${value}" is not on or off.`, `Give ${flag} on or ${flag} off.`);
}

const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
function emailList(values: readonly string[], flag: string): string[] {
  const list = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  const bad = list.find((e) => !EMAIL.test(e));
  if (bad !== undefined) throw new AbortError(`${flag}: "${bad}" is not an e-mail address.`, 'Give addresses such as noc@example.com, separated by commas.');
  return list;
}

/** Whether the flags edit the e-mail list relative to what is stored (then it is read first). */
export function editsEmailList(f: PreferenceFlags): boolean {
  return (f.addEmail?.length ?? 0) > 0 || (f.removeEmail?.length ?? 0) > 0;
}

/** The change the flags ask for; --add-email / --remove-email apply to `current` (or to --emails). */
export function preferencesChange(f: PreferenceFlags, current: ApiPreferences | null): PreferencesChange {
  const change: { -readonly [K in keyof PreferencesChange]: PreferencesChange[K] } = {};
  const notifications = onOff(f.notifications, '--notifications');
  if (notifications !== undefined) change.notifications = notifications;
  const serviceRequests = onOff(f.serviceRequests, '--service-requests');
  if (serviceRequests !== undefined) change.serviceRequests = serviceRequests;
  if (f.srContact !== undefined) change.srContact = ['', 'none', '-'].includes(f.srContact.trim().toLowerCase()) ? null : f.srContact.trim();
  if (f.emails !== undefined) change.emails = ['', 'none'].includes(f.emails.trim()) ? [] : emailList([f.emails], '--emails');
  if (editsEmailList(f)) {
    const start = change.emails ?? current?.emails ?? [];
    const remove = new Set(emailList(f.removeEmail ?? [], '--remove-email').map((e) => e.toLowerCase()));
    const kept = start.filter((e) => !remove.has(e.toLowerCase()));
    for (const e of emailList(f.addEmail ?? [], '--add-email')) if (!kept.some((k) => k.toLowerCase() === e.toLowerCase())) kept.push(e);
    change.emails = kept;
  }
  if (Object.keys(change).length === 0) throw new AbortError('Nothing to change.', 'Give --notifications, --service-requests, --sr-contact, --emails, --add-email or --remove-email.');
  return change;
}

/** Applies the flags to a device's preferences and returns what the back end then holds. */
export async function setPreferences(api: ApiClient, serial: string, f: PreferenceFlags): Promise<ApiPreferences> {
  return api.setPreferences(serial, preferencesChange(f, editsEmailList(f) ? await api.preferences(serial) : null));
}
