/**
 * The simulated back office's companies and CCO users (S24), as `POST /api/v1/directory` takes them and as a
 * file (`callhome users import FILE`): YAML
 *   companies: [{id: acme, name: Acme Corp}]
 *   users: [{id: alice, name: Alice, email: alice@acme.example, password: …, companies: {acme: administrator},
 *            contracts: [C-100], schAdmin: false, caseManagement: true, profileCompany: acme}]
 * or CSV with a header row `id,name,email,password,company,role,contracts,sch_admin` (one row per user and
 * company; contracts separated by spaces). Passwords are hashed (scrypt) by the server; only hashes are kept.
 */
import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AbortError } from '../../errors.js';
import type { DirectoryInput } from './accounts.js';
import { COMPANY_ID_PATTERN, ROLES, USER_ID_PATTERN } from './model.js';

const CompanyId = z.string().regex(COMPANY_ID_PATTERN, 'a company id is 2–64 lower-case letters, digits or dashes');

export const DirectorySchema = z.strictObject({
  companies: z.array(z.strictObject({ id: CompanyId, name: z.string().trim().min(1).max(200) })).max(10_000).default([]),
  users: z
    .array(
      z.strictObject({
        id: z.string().regex(USER_ID_PATTERN, 'a user id is 3–64 letters, digits, dot, dash, underscore or @'),
        name: z.string().trim().min(1).max(200),
        email: z.email(),
        password: z.string().min(8, 'a password has at least 8 characters').max(1024).optional(),
        passwordHash: z.string().regex(/^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'an scrypt hash as scrypt$salt$hash (base64)').optional(),
        schAdmin: z.boolean().default(false),
        caseManagement: z.boolean().default(true),
        profileCompany: CompanyId.optional(),
        contracts: z.array(z.string().min(1).max(64)).max(1000).default([]),
        companies: z.record(CompanyId, z.enum(ROLES)).default({}),
      }),
    )
    .max(100_000)
    .default([]),
});

/** CSV rows (one per user and company) folded into the directory shape. */
function fromCsv(text: string): unknown {
  const rows: Record<string, string>[] = parseCsv(text, { columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()), comment: '#', skip_empty_lines: true, trim: true });
  const users = new Map<string, Record<string, unknown> & { companies: Record<string, string> }>();
  const companies = new Set<string>();
  for (const r of rows) {
    const id = r['id'] ?? '';
    const u = users.get(id) ?? { id, name: r['name'] ?? '', email: r['email'] ?? '', companies: {} };
    if (r['password']) u['password'] = r['password'];
    if (r['contracts']) u['contracts'] = r['contracts'].split(/\s+/);
    if (r['sch_admin']) u['schAdmin'] = /^(1|true|yes)$/i.test(r['sch_admin']);
    if (r['company']) {
      companies.add(r['company']);
      u.companies[r['company']] = r['role'] || 'user';
    }
    users.set(id, u);
  }
  return { companies: [...companies].map((id) => ({ id, name: id })), users: [...users.values()] };
}

/** Reads a directory file; an invalid entry is an AbortError naming the file and the entry. */
export function readDirectoryFile(file: string): DirectoryInput {
  let doc: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    doc = /\.csv$/i.test(file) ? fromCsv(text) : parseYaml(text);
  } catch (e) {
    throw new AbortError(`The directory file ${file} cannot be read: ${e instanceof Error ? e.message : String(e)}`, 'YAML with companies: and users:, or CSV with a header row id,name,email,password,company,role,contracts,sch_admin.');
  }
  const parsed = DirectorySchema.safeParse(doc);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new AbortError(`The directory file ${file} is not valid: ${i?.path.join('.') ?? '?'}: ${i?.message ?? ''}`);
  }
  return parsed.data;
}
