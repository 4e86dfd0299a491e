/**
 * The console's part of the accounts (issue 15), pure: who is logged in (the status line), the Admin
 * screen's lists (users, tokens, audit) and which actions the caller's roles allow. The server enforces
 * the roles; the console only avoids offering what it would refuse.
 */
import { can, isAdministrator, type Action, type Principal } from '../domain/permissions.js';
import type { ApiAuditEntry, ApiMe, ApiTokenInfo, ApiUser } from '../client/api-client.js';

/** Who the console acts as (GET /me). */
export type SessionView = {
  readonly user: string;
  readonly name: string | null;
  readonly schAdmin: boolean;
  readonly companies: readonly { readonly company: string; readonly role: string }[];
  /** The current token's id (null for the bootstrap token): the Admin screen does not offer to revoke it. */
  readonly tokenId: string | null;
  readonly pendingAgreement: boolean;
};

/** Rows of the tokens and audit tabs, as the API gives them. */
export type TokenRow = ApiTokenInfo;
export type AuditRow = ApiAuditEntry;

/** Tabs of the Admin screen. */
export const ADMIN_TABS = ['users', 'tokens', 'audit'] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

/** One user's registration to one company: the unit an Administrator deletes or changes the role of. */
export type MembershipRow = { readonly user: string; readonly name: string | null; readonly email: string | null; readonly status: string; readonly company: string; readonly role: string };

export type AdminState = {
  readonly tab: AdminTab;
  readonly users: readonly ApiUser[];
  readonly tokens: readonly ApiTokenInfo[];
  readonly audit: readonly ApiAuditEntry[];
  readonly loaded: boolean;
};

export const EMPTY_ADMIN: AdminState = { tab: 'users', users: [], tokens: [], audit: [], loaded: false };

/** Audit entries kept in memory (the newest; `callhome audit --before` pages further back). */
export const AUDIT_KEEP = 500;

/** The session as the console keeps it. */
export function toSessionView(me: ApiMe): SessionView {
  return { user: me.user, name: me.name, schAdmin: me.schAdmin, companies: me.companies, tokenId: me.token, pendingAgreement: me.status === 'pending-legal-agreement' };
}

const NOBODY: Principal = { companies: [], schAdmin: false };

/** The caller for permission checks; before /me answered, nobody (nothing admin-only is offered). */
export function principalOf(session: SessionView | null): Principal {
  return session ?? NOBODY;
}

/** Whether the Admin screen is shown: only to Administrators of some company and SCH administrators. */
export function showsAdmin(session: SessionView | null): boolean {
  return session !== null && isAdministrator(session);
}

/** Whether the session may take the action (for a company, or for any of theirs). */
export function allowed(session: SessionView | null, action: Action, company?: string): boolean {
  return session !== null && can(session, action, company);
}

/** The status line's "who": `alice (Alice Example) · Administrator of acme, User of globex`. */
export function sessionLine(session: SessionView | null): string {
  if (session === null) return '';
  const roles = session.companies.map((c) => `${/^admin/i.test(c.role) ? 'Administrator' : 'User'} of ${c.company}`);
  if (session.schAdmin) roles.unshift('SCH administrator');
  // The bootstrap token's name already says what it is ("bootstrap token (serve --token)").
  const who = session.name === null || session.name === session.user ? session.user : session.user === 'bootstrap' ? session.name : `${session.user} (${session.name})`;
  return `${who} · ${roles.length > 0 ? roles.join(', ') : 'no company'}${session.pendingAgreement ? ' · legal agreement pending' : ''}`;
}

/** Users tab rows: one per user and company, sorted by company then user. */
export function membershipRows(admin: AdminState): MembershipRow[] {
  const rows = admin.users.flatMap((u) => u.companies.map((c) => ({ user: u.id, name: u.name, email: u.email, status: u.status, company: c.company, role: c.role })));
  return rows.sort((a, b) => a.company.localeCompare(b.company) || a.user.localeCompare(b.user));
}

/** Rows of the current tab. */
export function adminRowCount(admin: AdminState): number {
  switch (admin.tab) {
    case 'users':
      return membershipRows(admin).length;
    case 'tokens':
      return admin.tokens.length;
    case 'audit':
      return admin.audit.length;
  }
}

/** What the selected row offers, as [key, label] hints; only what the session's roles allow. */
export function adminActions(session: SessionView | null, admin: AdminState, index: number): (readonly [string, string])[] {
  if (admin.tab === 'users') {
    const row = membershipRows(admin)[index];
    if (row === undefined || !allowed(session, 'users.delete', row.company)) return [];
    const self = session?.user === row.user;
    return self ? [] : [['d', 'delete from company'], ['m', /^admin/i.test(row.role) ? 'make User' : 'make Administrator']];
  }
  if (admin.tab === 'tokens') {
    const t = admin.tokens[index];
    if (t === undefined || t.state !== 'active' || t.id === session?.tokenId) return [];
    return allowed(session, 'tokens.revoke') ? [['x', 'revoke']] : [];
  }
  return [];
}

/** Adds an audit entry from the stream (newest first, no duplicates). */
export function withAuditEntry(admin: AdminState, entry: ApiAuditEntry): AdminState {
  if (admin.audit.some((e) => e.id === entry.id)) return admin;
  return { ...admin, audit: [entry, ...admin.audit].slice(0, AUDIT_KEEP) };
}
