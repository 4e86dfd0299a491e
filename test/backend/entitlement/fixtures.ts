/** Back-office fixtures for tests, in the form `POST /api/v1/contracts {"backOffice": …}` and contract files take. */
import { BackOfficeSchema, type BackOffice } from '../../../src/backend/entitlement/model.js';
import { api } from '../helpers.js';

export type ContractInput = { number: string; type?: string; company?: string; expires?: string | null; remoteSupport?: boolean; families?: string[]; serials?: string[] };
export type InstalledBaseInput = { serial: string; family?: string; pid?: string; company?: string; warranty?: { expires: string; company?: string } | null };
export type ProfileInput = { ccoId: string; company?: string; contracts?: string[]; caseManagement?: boolean; email?: string };
export type BackOfficeInput = { contracts?: ContractInput[]; installedBase?: InstalledBaseInput[]; profiles?: ProfileInput[] };

/** Imports fixtures into a running back end through the API. */
export async function importBackOffice(url: string, backOffice: BackOfficeInput): Promise<{ imported: number; changed: number }> {
  const r = await api<{ imported: number; changed: number }>(url, '/contracts', { method: 'POST', body: { backOffice } });
  if (r.status !== 200) throw new Error(`fixture import failed: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Serials in the installed base, not covered, with an eligible contract for SCH Support's profile: confirming gives a trial. */
export function trialFixture(serials: readonly string[], company = 'examplecorp'): BackOfficeInput {
  return { contracts: [{ number: `PROFILE-${company}`, type: 'direct', company }], installedBase: serials.map((serial) => ({ serial, company })) };
}

/** Serials covered by one supported contract: confirming registers them under it. */
export function coveredFixture(serials: readonly string[], number = 'C-COVER', company = 'examplecorp'): BackOfficeInput {
  return { contracts: [{ number, type: 'direct', company, serials: [...serials] }], installedBase: serials.map((serial) => ({ serial, company })) };
}

/** The same fixtures in the service's form (for tests that drive `createBackendService` directly). */
export function backOffice(input: BackOfficeInput): BackOffice {
  return BackOfficeSchema.parse(input);
}
