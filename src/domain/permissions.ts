/**
 * The role matrix of the service (spec §2.8, S26, S31) as the clients read it: which role each action
 * needs, to explain a 403 in words and to offer only the actions a user may take. The back end's route
 * table is the authority that enforces it; this table only describes it.
 */

/** Roles a user holds per company; the SCH administrator (S31) is service-wide. */
export const COMPANY_ROLES = ['administrator', 'user'] as const;
export type CompanyRole = (typeof COMPANY_ROLES)[number];

/** One membership of the logged-in user. */
export type Membership = { readonly company: string; readonly role: string };

/** Who is asking, as the clients know it (GET /me, or the stored login). */
export type Principal = { readonly companies: readonly Membership[]; readonly schAdmin: boolean };

/** What an action needs: membership of the company (any role), its Administrator role, or the SCH administrator. */
export type Requirement = 'member' | 'administrator' | 'sch-admin';

/** Actions the clients offer, with the requirement and how a refusal names them. */
const ACTION_TABLE = {
  'devices.read': { needs: 'member', what: 'reading devices, messages and reports' },
  'users.list': { needs: 'member', what: 'listing users' },
  'users.add': { needs: 'administrator', what: 'adding a user' },
  'users.delete': { needs: 'administrator', what: 'deleting a user' },
  'users.role': { needs: 'administrator', what: "changing a user's role" },
  'companies.list': { needs: 'member', what: 'listing companies' },
  'tokens.list': { needs: 'member', what: 'listing tokens' },
  'tokens.revoke': { needs: 'member', what: 'revoking a token' },
  'tokens.list-others': { needs: 'sch-admin', what: "listing another user's tokens" },
  'directory.import': { needs: 'sch-admin', what: 'importing the back-office directory of companies and users' },
  'preferences.read': { needs: 'member', what: 'reading device preferences' },
  'preferences.set': { needs: 'administrator', what: 'changing device preferences' },
  'registration.confirm': { needs: 'member', what: 'confirming a registration' },
  'registration.delete': { needs: 'administrator', what: 'deleting a registration' },
  'registration.edit': { needs: 'administrator', what: 'editing a registration' },
  'gateways.admin': { needs: 'administrator', what: 'administering Transport Gateways' },
  'audit.read': { needs: 'administrator', what: 'reading the audit log' },
  // sr-notify: the SR lifecycle (S55), as POST /cases/N/update|close.
  'cases.change': { needs: 'administrator', what: 'updating or closing a service request' },
} as const;
export type Action = keyof typeof ACTION_TABLE;
export const ACTIONS: Readonly<Record<Action, { readonly needs: Requirement; readonly what: string }>> = ACTION_TABLE;

const isAdminRole = (role: string): boolean => /^admin(istrator)?$/i.test(role);

/** Whether the principal may take the action, for one company or (without one) for any of theirs. */
export function can(p: Principal, action: Action, company?: string): boolean {
  if (p.schAdmin) return true;
  const needs = ACTIONS[action].needs;
  if (needs === 'sch-admin') return false;
  const relevant = company === undefined ? p.companies : p.companies.filter((m) => m.company === company);
  return needs === 'member' ? relevant.length > 0 : relevant.some((m) => isAdminRole(m.role));
}

/** Companies where the principal is Administrator. */
export function adminCompanies(p: Principal): string[] {
  return p.companies.filter((m) => isAdminRole(m.role)).map((m) => m.company);
}

/** Whether the principal administers anything (the console's Admin screen is shown only then). */
export function isAdministrator(p: Principal): boolean {
  return p.schAdmin || adminCompanies(p).length > 0;
}

/** "the Administrator role of the company" etc., for an explanation of a refusal. */
export function requirementText(action: Action): string {
  const needs = ACTIONS[action].needs;
  switch (needs) {
    case 'member':
      return 'a User or Administrator role in the company concerned';
    case 'administrator':
      return 'the Administrator role in the company concerned (or the SCH administrator)';
    case 'sch-admin':
      return 'the SCH administrator';
  }
}
