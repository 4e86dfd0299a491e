/**
 * The service's people (issue 15; spec §2.8–§2.10, S24–S32, S93): companies are the tenancy unit; users
 * (CCO-ID-style ids, simulated CCO directory) hold a role per company; the service-wide SCH administrator
 * (S31) sees every company. Personal API tokens carry a user's identity into every request.
 */

/** A company role (§2.8). */
export const ROLES = ['administrator', 'user'] as const;
export type Role = (typeof ROLES)[number];

/** A CCO-style user id: 3–64 letters, digits, dot, dash, underscore or @. */
export const USER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$/;
/** A company id: 2–64 lower-case letters, digits or dashes (the contracts' `company` column refers to it). */
export const COMPANY_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,63}$/;

/** The legal agreement of S29: accepting it gates all use; a new version asks again. */
export const LEGAL_AGREEMENT = {
  version: '2026-12',
  text: 'Smart Call Home (simulated) user agreement: the service stores and analyses the Call Home messages your devices send, shows them only to the users of your company, and e-mails the contacts you set. Accept to use the service.',
} as const;
export type LegalAgreement = { readonly version: string; readonly text: string };

export type Company = { readonly id: string; readonly name: string; readonly createdAt: string };

/** A user of the simulated CCO directory; only the scrypt hash of the password is kept. */
export type UserRecord = {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly passwordHash: string | null;
  /** The Cisco-internal SCH administrator of S31: every company, view and delete. */
  readonly schAdmin: boolean;
  /** Case-management permissions of the CCO profile (S50, S16). */
  readonly caseManagement: boolean;
  /** The company of the CCO profile (warranty entitlement, S13). */
  readonly profileCompany: string | null;
  /** Contract numbers in the CCO profile (eligibility S14–S16; Administrator role S28). */
  readonly profileContracts: readonly string[];
  /** The legal agreement version accepted, null until accepted (S29). */
  readonly agreementVersion: string | null;
  readonly agreementAcceptedAt: string | null;
  readonly createdAt: string;
};

export type Membership = { readonly userId: string; readonly companyId: string; readonly role: Role; readonly addedBy: string; readonly addedAt: string };

/** A personal API token; only its SHA-256 is stored (a token is 32 random bytes, so no slower hash is needed). */
export type TokenRecord = {
  readonly id: string;
  readonly userId: string;
  readonly hash: string;
  readonly label: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  readonly createdFrom: string | null;
};

/** One line of the append-only audit log (S93): who, what, when, from where. */
export type AuditEntry = {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly action: AuditAction;
  readonly target: string;
  readonly company: string | null;
  readonly remote: string | null;
  readonly detail: Readonly<Record<string, unknown>>;
};

export const AUDIT_ACTIONS = [
  'login',
  'login.failed',
  'token.created',
  'token.revoked',
  'agreement.accepted',
  'user.added',
  'user.deleted',
  'user.role-changed',
  'directory.imported',
  'contracts.imported',
  'registration.confirmed',
  'registration.edited',
  'registration.deleted',
  'device.identity-accepted',
  'preferences.changed',
  'gateway.registered',
  'gateway.deleted',
  'gateway.password-reset',
  'case.changed',
  // triggers: an SCH administrator sent the CA certificate update instructions (N25).
  'ca-certificate.update',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type NewAuditEntry = Omit<AuditEntry, 'id'>;

/** The user id the bootstrap token (`serve --token`) acts as: an SCH administrator outside the directory. */
export const BOOTSTRAP_USER = 'bootstrap';

/** Who is calling: resolved from the bearer token on every request and stream. */
export type Caller = {
  readonly userId: string;
  readonly name: string;
  readonly schAdmin: boolean;
  /** The personal token's id; null for the bootstrap token. */
  readonly tokenId: string | null;
  /** Role per company id. */
  readonly roles: ReadonlyMap<string, Role>;
  /** True while the current legal agreement is not accepted (S29): only the agreement routes answer. */
  readonly agreementPending: boolean;
};

/** What a route needs from its caller; the router checks it before the handler runs. */
export const PERMISSIONS = ['public', 'self', 'read', 'confirm', 'admin', 'sch-admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * Companies whose data a caller sees under a permission: null = every company (SCH administrator);
 * `admin` routes see only the companies the caller administers; `self` and `public` see none.
 */
export function companiesFor(caller: Caller, permission: Permission): readonly string[] | null {
  if (caller.schAdmin) return null;
  switch (permission) {
    case 'read':
    case 'confirm':
      return [...caller.roles.keys()].sort();
    case 'admin':
      return [...caller.roles].filter(([, r]) => r === 'administrator').map(([c]) => c).sort();
    default:
      return [];
  }
}

/** Null when the caller may use a route of this permission, else the reason of the 403. */
export function refusedBecause(caller: Caller, permission: Permission): string | null {
  if (permission === 'public' || permission === 'self') return null;
  if (caller.agreementPending) return 'Accept the legal agreement first: GET /api/v1/agreement shows it and its version, POST /api/v1/agreement {"version": "<that version>"} accepts it (callhome login asks).';
  if (caller.schAdmin) return null;
  switch (permission) {
    case 'sch-admin':
      return 'Only an SCH administrator may do this.';
    case 'admin':
      return [...caller.roles.values()].includes('administrator') ? null : 'Only a company Administrator may do this; your role is User.';
    case 'read':
      return caller.roles.size > 0 ? null : 'You are not registered to any company yet: confirm a device registration, or ask an Administrator of your company to add you.';
    case 'confirm':
      // The registration token proves the device; the first confirmation is how a user gets a company (S27).
      return null;
    default:
      return null;
  }
}

/** The user as the API shows them: no password hash. */
export function publicUser(u: UserRecord, memberships: readonly Membership[], currentAgreement: string) {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    schAdmin: u.schAdmin,
    status: u.agreementVersion === currentAgreement ? ('active' as const) : ('pending-legal-agreement' as const),
    companies: memberships.map((m) => ({ company: m.companyId, role: m.role, addedBy: m.addedBy, addedAt: m.addedAt })),
  };
}

/** A token as listed: never its value or hash. */
export function publicToken(t: TokenRecord, now: Date) {
  const state = t.revokedAt !== null ? 'revoked' : Date.parse(t.expiresAt) <= now.getTime() ? 'expired' : 'active';
  return { id: t.id, user: t.userId, label: t.label, createdAt: t.createdAt, expiresAt: t.expiresAt, lastUsedAt: t.lastUsedAt, revokedAt: t.revokedAt, createdFrom: t.createdFrom, state };
}
