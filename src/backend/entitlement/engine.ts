/**
 * The entitlement decision (spec §2.4, S13–S16) and its re-check as time passes (S21). Pure: the
 * caller loads the back-office data; nothing here reads the clock or the store.
 */
import { activeAt, DAY_MS, supportedContract, TRIAL_DAYS, UNDER_WARRANTY, type ActingProfile, type Coverage, type InstalledBaseEntry, type Refusal, type ServiceContract } from './model.js';

/** A contract with the product families it covers: its own list plus the families of the serials it covers. */
export type ContractWithFamilies = ServiceContract & { readonly coveredFamilies: readonly string[] };

export type EntitlementInput = {
  readonly serial: string;
  readonly now: Date;
  readonly profile: ActingProfile;
  /** Contracts that list this serial. */
  readonly covering: readonly ServiceContract[];
  readonly installedBase: InstalledBaseEntry | null;
  /** The family the device reports (its series), used when it is not in the installed base. */
  readonly reportedFamily: string;
  /** Contracts in the acting profile (every contract when it acts for Support). */
  readonly profileContracts: readonly ContractWithFamilies[];
  /** A contract the user chose (the portal's drop-down); null lets the engine pick. */
  readonly chosen: string | null;
};

export type Entitled = {
  readonly state: 'registered' | 'trial';
  readonly coverage: Coverage;
  /** The contract number, or "Under Warranty". */
  readonly contractNumber: string;
  /** The company the registration goes to (the contract's, or the warranty purchaser's). */
  readonly company: string;
  /** End of the contract or warranty it rests on. */
  readonly coverageEndsAt: string | null;
  readonly trialEndsAt: string | null;
};

export type Decision = { readonly ok: true; readonly value: Entitled } | { readonly ok: false; readonly refusal: Refusal };

const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
const byNumber = (a: ServiceContract, b: ServiceContract): number => a.number.localeCompare(b.number);

/** What to do when nothing eligible is in the profile (§2.4): the four ways out the portal lists. */
const NO_CONTRACT_OPTIONS =
  'Options: ask your partner, reseller or Service Sales Manager to add the device to a contract; buy a contract in the Service Contract Center; (partners and resellers) open a Service Support Center case to add the serial to a contract; or add a contract to your profile with the CPR Profile Update tool.';

function refuse(code: Refusal['code'], reason: string, contract?: string): Decision {
  return { ok: false, refusal: contract === undefined ? { code, reason } : { code, reason, contract } };
}

function inProfile(p: ActingProfile, number: string): boolean {
  return p.all || p.contracts.some((c) => same(c, number));
}

/** Eligible profile contracts, the chosen one (if any) only, in a stable order with the preferred company first. */
function usable(input: EntitlementInput, preferCompany: string, fits: (c: ContractWithFamilies) => boolean): ContractWithFamilies[] {
  return input.profileContracts
    .filter((c) => supportedContract(c) && activeAt(c.expiresAt, input.now) && fits(c) && (input.chosen === null || same(c.number, input.chosen)))
    .sort((a, b) => Number(!same(a.company, preferCompany)) - Number(!same(b.company, preferCompany)) || byNumber(a, b));
}

/** The decision table of §2.4 for a confirmation by `input.profile`. */
export function decide(input: EntitlementInput): Decision {
  const { profile, now } = input;
  const who = profile.all ? 'SCH Support' : `profile ${profile.ccoId}`;
  if (!profile.caseManagement) {
    return refuse('no-case-management', `The CCO ${who} lacks Case Management permissions (query, create and update service requests), which registering a device needs. Add a contract that entitles you to open TAC service requests to your profile, or buy one.`);
  }
  const covering = input.covering.filter((c) => activeAt(c.expiresAt, now)).sort(byNumber);
  const supported = covering.filter(supportedContract);
  // S13: covered by a supported contract → that contract only (any of them when several cover it).
  if (supported.length > 0) {
    const mine = supported.filter((c) => inProfile(profile, c.number));
    if (input.chosen !== null && !supported.some((c) => same(c.number, input.chosen ?? ''))) {
      return refuse('contract-not-usable', `Serial ${input.serial} is covered by contract ${supported.map((c) => c.number).join(', ')}; only a contract that covers it can be used, not ${input.chosen}.`);
    }
    const pick = mine.find((c) => input.chosen === null || same(c.number, input.chosen));
    if (!pick) {
      const wanted = supported.find((c) => input.chosen === null || same(c.number, input.chosen)) ?? supported[0];
      return refuse(
        'contract-not-in-profile',
        `Serial ${input.serial} is covered by contract ${wanted?.number ?? '?'}, which is not in the CCO ${who}. A request to add it to the profile has been sent; you will be told by e-mail when it is added, and can confirm then.`,
        wanted?.number,
      );
    }
    return { ok: true, value: { state: 'registered', coverage: 'contract', contractNumber: pick.number, company: pick.company, coverageEndsAt: pick.expiresAt, trialEndsAt: null } };
  }
  const ib = input.installedBase;
  // S13: an active warranty → "Under Warranty", if the profile company is the purchasing company.
  if (ib && ib.warrantyExpiresAt !== null && activeAt(ib.warrantyExpiresAt, now)) {
    if (!profile.all && (profile.company === '' || !same(profile.company, ib.warrantyCompany))) {
      return refuse(
        'warranty-company-mismatch',
        `Serial ${input.serial} is under warranty, but warranty entitlement failed: ${profile.company === '' ? `the CCO ${who} has no company name` : `the purchasing company (${ib.warrantyCompany}) is not the profile's company (${profile.company})`}. Update the company in your profile with the CPR tool, or register with a contract.`,
      );
    }
    return { ok: true, value: { state: 'registered', coverage: 'warranty', contractNumber: UNDER_WARRANTY, company: ib.warrantyCompany, coverageEndsAt: ib.warrantyExpiresAt, trialEndsAt: null } };
  }
  if (covering.length > 0) {
    const types = [...new Set(covering.map((c) => (c.type === 'partner-branded' ? 'Partner Branded' : supportedContract({ ...c, remoteSupport: true }) ? 'without the Remote Tech Support Access key' : c.type)))].join(', ');
    return refuse('unsupported-contract', `Serial ${input.serial} is covered only by contract ${covering.map((c) => c.number).join(', ')} (${types}), a type Smart Call Home does not support. Only Cisco Branded Direct or CBR contracts with the CONTRACT key for Remote Tech Support Access can be used.`);
  }
  // S14: in the installed base but not covered → a 120-day trial under an eligible profile contract.
  if (ib) {
    const [pick] = usable(input, ib.company, () => true);
    if (!pick) return refuse('no-eligible-contract', `Serial ${input.serial} is in the Installed Base but not covered, and the CCO ${who} holds no eligible contract${input.chosen === null ? '' : ` named ${input.chosen}`} for a trial. ${NO_CONTRACT_OPTIONS}`);
    return { ok: true, value: { state: 'trial', coverage: 'trial', contractNumber: pick.number, company: pick.company, coverageEndsAt: pick.expiresAt, trialEndsAt: new Date(now.getTime() + TRIAL_DAYS * DAY_MS).toISOString() } };
  }
  // S15: not in the installed base → an eligible profile contract covering a product of the same family.
  const family = input.reportedFamily.trim();
  const [pick] = family === '' ? [] : usable(input, '', (c) => c.coveredFamilies.some((f) => same(f, family)));
  if (!pick) {
    return refuse(
      'no-eligible-contract',
      `Serial ${input.serial} is not in the Installed Base, and the CCO ${who} holds no eligible contract${input.chosen === null ? '' : ` named ${input.chosen}`} covering a product of its family (${family || 'the device has not reported one'}). ${NO_CONTRACT_OPTIONS}`,
    );
  }
  return { ok: true, value: { state: 'registered', coverage: 'family', contractNumber: pick.number, company: pick.company, coverageEndsAt: pick.expiresAt, trialEndsAt: null } };
}

/** What a confirmed registration rests on now. */
export type Standing = {
  readonly state: 'registered' | 'trial' | 'expired';
  readonly coverage: Coverage;
  readonly contractNumber: string;
  readonly coverageEndsAt: string | null;
  readonly trialEndsAt: string | null;
};

/**
 * Re-checks a confirmed registration (maintenance pass, contracts import, a message): a covering
 * supported contract wins (TRIAL → REGISTERED when one is added); else the warranty; else what it was
 * confirmed under, while that lasts; otherwise EXPIRED.
 */
export function recheck(current: Standing, covering: readonly ServiceContract[], ib: InstalledBaseEntry | null, own: ServiceContract | null, now: Date): Standing {
  const supported = covering.filter((c) => supportedContract(c) && activeAt(c.expiresAt, now)).sort(byNumber);
  if (supported.length > 0) {
    const keep = supported.find((c) => same(c.number, current.contractNumber)) ?? supported[0];
    if (keep) return { state: 'registered', coverage: 'contract', contractNumber: keep.number, coverageEndsAt: keep.expiresAt, trialEndsAt: null };
  }
  if (ib && ib.warrantyExpiresAt !== null && activeAt(ib.warrantyExpiresAt, now)) {
    return { state: 'registered', coverage: 'warranty', contractNumber: UNDER_WARRANTY, coverageEndsAt: ib.warrantyExpiresAt, trialEndsAt: null };
  }
  const ownActive = own !== null && supportedContract(own) && activeAt(own.expiresAt, now);
  if (current.coverage === 'trial' && current.trialEndsAt !== null) {
    const live = ownActive && Date.parse(current.trialEndsAt) > now.getTime();
    return { ...current, state: live ? 'trial' : 'expired', coverageEndsAt: own?.expiresAt ?? current.coverageEndsAt };
  }
  if (current.coverage === 'family' && ownActive) return { ...current, state: 'registered', coverageEndsAt: own.expiresAt };
  // The contract or warranty it rested on has ended (or no longer covers it).
  return { ...current, state: 'expired', coverageEndsAt: current.coverage === 'contract' || current.coverage === 'family' ? (own?.expiresAt ?? current.coverageEndsAt) : current.coverageEndsAt };
}

/** The date the registration ends on, for countdowns and warnings: the trial end, or the contract / warranty end. */
export function endsAt(s: Pick<Standing, 'coverage' | 'coverageEndsAt' | 'trialEndsAt'>): string | null {
  if (s.coverage === 'trial') {
    if (s.trialEndsAt === null) return s.coverageEndsAt;
    if (s.coverageEndsAt === null) return s.trialEndsAt;
    return Date.parse(s.coverageEndsAt) < Date.parse(s.trialEndsAt) ? s.coverageEndsAt : s.trialEndsAt;
  }
  return s.coverageEndsAt;
}
