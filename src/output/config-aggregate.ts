/** Fleet-wide view of `show call-home detail`: which settings agree across devices and which drift. */
import type { CallHomeSettings, ShowCallHomeDetail } from '../ios/parsers/show-call-home.js';
import type { FleetResult } from '../domain/fleet.js';
import { renderTable } from './table.js';

const FIELDS: readonly (keyof CallHomeSettings)[] = [
  'serviceEnabled',
  'contactEmail',
  'phoneNumber',
  'streetAddress',
  'customerId',
  'siteId',
  'contractId',
  'senderFrom',
  'senderReplyTo',
  'mailServers',
  'rateLimit',
  'dataPrivacyLevel',
  'snapshotCommands',
];

function show(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
  return String(value);
}

/** A table of each setting's distinct values and how many devices hold each. */
export function aggregateCallHomeDetail(results: readonly FleetResult<ShowCallHomeDetail>[]): string | null {
  const details = results.flatMap((r) => (r.ok && r.data !== null ? [r.data] : []));
  if (details.length === 0) return null;
  type Row = { readonly field: string; readonly values: string; readonly drift: boolean };
  const rows: Row[] = FIELDS.map((field) => {
    const counts = new Map<string, number>();
    for (const d of details) {
      const key = show(d.settings[field]);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const values = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    return { field, values: values.map(([v, n]) => (values.length === 1 ? v : `${v} ×${n}`)).join(' | '), drift: values.length > 1 };
  });
  const profileCounts = new Map<string, number>();
  for (const d of details) {
    for (const p of d.profiles) {
      const label = `${p.name}${p.active ? '' : ' (inactive)'}`;
      profileCounts.set(label, (profileCounts.get(label) ?? 0) + 1);
    }
  }
  const profiles = [...profileCounts.entries()].map(([p, n]) => `${p} ×${n}`).join(', ');
  return renderTable(
    [
      { header: `setting (${details.length} devices)`, get: (r: Row) => r.field },
      { header: 'values', get: (r: Row) => r.values },
      { header: 'drift', get: (r: Row) => (r.drift ? 'DRIFT' : '') },
    ],
    [...rows, { field: 'profiles', values: profiles || '(none)', drift: false }],
  );
}

/** One line per device. */
export function describeCallHomeDetail(result: FleetResult<ShowCallHomeDetail>): string {
  if (result.data === null) return '';
  const { settings, profiles } = result.data;
  return `service ${settings.serviceEnabled ? 'enabled' : 'disabled'}, contact ${settings.contactEmail ?? '(not set)'}, ${profiles.length} profile(s)`;
}
