/**
 * The simulated Cisco back-office data the entitlement engine decides on (spec §2.4, S24): service
 * contracts (type, the CONTRACT key for Remote Tech Support Access, company, expiry, covered serials
 * and product families), the Installed Base (shipped serials with family, PID, company and warranty)
 * and CCO profiles (contracts in the profile, company, case-management permission).
 */
import { z } from 'zod';
import { USER_ID_PATTERN } from '../accounts/model.js';

/** Contract types (§2.4): only Cisco Branded Direct and CBR are supported; Partner Branded and others are "future". */
export const CONTRACT_TYPES = ['direct', 'cbr', 'partner-branded', 'other'] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];

export type ServiceContract = {
  readonly number: string;
  readonly type: ContractType;
  readonly company: string;
  /** ISO time; null = open-ended. */
  readonly expiresAt: string | null;
  /** Carries the "CONTRACT" entitlement key for the "Remote Tech Support Access" business process. */
  readonly remoteSupport: boolean;
  /** Product families it covers besides those of its covered serials (S15). */
  readonly families: readonly string[];
  /** Serials it covers. */
  readonly serials: readonly string[];
};

export type InstalledBaseEntry = {
  readonly serial: string;
  /** Product family (series), e.g. "Cisco Catalyst 9300 Series Switches". */
  readonly family: string;
  readonly pid: string;
  /** The company it was shipped to. */
  readonly company: string;
  /** Warranty end (ISO) or null when there is no warranty. */
  readonly warrantyExpiresAt: string | null;
  /** The purchasing company the warranty is registered to. */
  readonly warrantyCompany: string;
};

export type Profile = {
  readonly ccoId: string;
  /** The profile's company; empty when the profile has none (warranty entitlement then fails). */
  readonly company: string;
  /** Contract numbers in the profile. */
  readonly contracts: readonly string[];
  /** Case-management permissions (query, create and update SRs). */
  readonly caseManagement: boolean;
  /** Where N23 ("contract added to your profile") goes. */
  readonly email: string;
};

/** Who acts on registrations. The API's own token acts for SCH Support (`support`), which may act for any CCO profile. */
export type Actor = { readonly user: string; readonly support: boolean };
export const SUPPORT_ACTOR: Actor = { user: 'operator', support: true };

/** The CCO identity used for the decision: a named profile, or Support's own (every contract in the fixtures). */
export type ActingProfile = Profile & { readonly all: boolean };

/** Cause-specific refusals of S16 (and of the token step, S11/S17), each with its own code. */
export const REFUSAL_CODES = [
  'contract-not-in-profile',
  'unsupported-contract',
  'no-eligible-contract',
  'warranty-company-mismatch',
  'no-case-management',
  'contract-not-usable',
  'unknown-profile',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];
export type Refusal = { readonly code: RefusalCode; readonly reason: string; readonly contract?: string };

/** How a confirmed registration is entitled: a covering contract, the warranty, or a profile contract (trial or same family). */
export type Coverage = 'contract' | 'warranty' | 'trial' | 'family';

export const DAY_MS = 86_400_000;
export const TRIAL_DAYS = 120;
/** Days before a contract or warranty ends at which "about to expire" is sent (the spec gives none; see README). */
export const EXPIRY_WARNING_DAYS = [30, 7] as const;
export const TRIAL_REMINDER_DAYS = 14;
export const UNDER_WARRANTY = 'Under Warranty';

const Day = z.union([z.string(), z.date()]).transform((d, c) => {
  const t = d instanceof Date ? d.getTime() : Date.parse(d);
  if (Number.isNaN(t)) {
    c.addIssue({ code: 'custom', message: 'must be a date such as 2027-12-31' });
    return z.NEVER;
  }
  return new Date(t).toISOString();
});
const Text = z.coerce.string().trim();
const TextList = z.union([z.array(Text), Text.transform((s) => s.split(/[;|]/).map((x) => x.trim()))]).transform((l) => l.filter((x) => x !== ''));

/** Contract types as written in files: a few spellings of the same thing. */
export const ContractTypeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((t) => t.replace(/[\s_]+/g, '-'))
  .pipe(z.enum(['direct', 'cbr', 'partner-branded', 'partner', 'other']))
  .transform((t): ContractType => (t === 'partner' ? 'partner-branded' : t));

export const ServiceContractSchema = z.object({
  number: Text.min(1, 'number is required'),
  type: ContractTypeSchema.default('direct'),
  company: Text.default(''),
  expires: Day.nullish(),
  remoteSupport: z.boolean().default(true),
  families: TextList.default([]),
  serials: TextList.default([]),
});
export const InstalledBaseSchema = z.object({
  serial: Text.min(1, 'serial is required'),
  family: Text.default(''),
  pid: Text.default(''),
  company: Text.default(''),
  warranty: z.object({ expires: Day, company: Text.default('') }).nullish(),
});
export const ProfileSchema = z.object({
  ccoId: Text.regex(USER_ID_PATTERN, 'a CCO id is 3–64 letters, digits, dot, dash, underscore or @'),
  company: Text.default(''),
  contracts: TextList.default([]),
  caseManagement: z.boolean().default(true),
  email: Text.default(''),
});

/** What one import carries; every part optional. */
export type BackOffice = { readonly contracts: readonly ServiceContract[]; readonly installedBase: readonly InstalledBaseEntry[]; readonly profiles: readonly Profile[] };

export const BackOfficeSchema = z
  .object({
    contracts: z.array(ServiceContractSchema).default([]),
    installedBase: z.array(InstalledBaseSchema).default([]),
    profiles: z.array(ProfileSchema).default([]),
  })
  .transform(
    (b): BackOffice => ({
      contracts: b.contracts.map((c) => ({ number: c.number, type: c.type, company: c.company, expiresAt: c.expires ?? null, remoteSupport: c.remoteSupport, families: c.families, serials: c.serials })),
      installedBase: b.installedBase.map((e) => ({ serial: e.serial, family: e.family, pid: e.pid, company: e.company, warrantyExpiresAt: e.warranty?.expires ?? null, warrantyCompany: e.warranty?.company || e.company })),
      profiles: b.profiles.map((p) => ({ ccoId: p.ccoId, company: p.company, contracts: p.contracts, caseManagement: p.caseManagement, email: p.email })),
    }),
  );

/** True when the contract is a supported type with the Remote Tech Support Access key (§2.4 "eligible"). */
export function supportedContract(c: Pick<ServiceContract, 'type' | 'remoteSupport'>): boolean {
  return (c.type === 'direct' || c.type === 'cbr') && c.remoteSupport;
}

/** True when the contract has not ended at `now`. */
export function activeAt(expiresAt: string | null, now: Date): boolean {
  return expiresAt === null || Date.parse(expiresAt) > now.getTime();
}

/** Whole days from now to `at`, rounded up (0 once past). */
export function daysLeft(at: string, now: Date): number {
  return Math.max(0, Math.ceil((Date.parse(at) - now.getTime()) / DAY_MS));
}
