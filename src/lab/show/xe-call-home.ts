/** The `show call-home` commands only IOS XE has, in the layouts of src/ios/layout/xe-commands.ts. */
import { ALERT_GROUPS, CISCO_TAC_PROFILE, CISCO_TAC_URL, type AlertGroup, type CallHomeConfig } from '../../domain/callhome.js';
import { severityShowName } from '../../domain/severity.js';
import type { CallHomeStatistics } from '../../domain/statistics.js';
import { NOT_SET } from '../../ios/layout/call-home.js';
import {
  DIAGNOSTIC_SIGNATURE_LAYOUT,
  DIAGNOSTIC_SIGNATURE_VIEWS,
  EVENTS_LAYOUT,
  SMART_LICENSING_LAYOUT,
  SMART_LICENSING_STATS_LAYOUT,
  VERSION_LAYOUT,
  type DiagnosticSignatureView,
} from '../../ios/layout/xe-commands.js';
import { listedProfiles } from './profile.js';
import { col, lines } from './format.js';

/** The component versions the lab reports. */
export const CALL_HOME_COMPONENTS: readonly { readonly name: string; readonly location: string; readonly version: string }[] = [
  { name: 'call-home', location: 'rp/0/0', version: '6.1.3' },
  { name: 'eem-call-home', location: 'rp/0/0', version: '1.0.5' },
];

/** `show call-home version`. */
export function renderShowCallHomeVersion(): string {
  return lines([
    `${VERSION_LAYOUT.title} 3.0`,
    VERSION_LAYOUT.components,
    ...CALL_HOME_COMPONENTS.map((c) => `${c.name}: (${c.location}) ${c.version}`),
  ]);
}

/** One row of `show call-home events`: a subscription of an active profile. */
export type EventRow = {
  readonly profile: string;
  readonly group: string;
  readonly index: number;
  readonly severity: string;
  readonly subscription: 'periodic' | 'severity' | 'pattern';
  readonly lastTriggered: string;
};

/** The active event list: every subscription of every active profile, numbered as registered. */
export function eventRows(c: CallHomeConfig, lastTriggered: (profile: string, group: AlertGroup) => string | undefined): EventRow[] {
  const rows: EventRow[] = [];
  for (const p of listedProfiles(c.profiles)) {
    if (!p.active) continue;
    for (const g of ALERT_GROUPS) {
      const sub = p.subscriptions[g];
      if (!sub || !c.alertGroupEnabled[g]) continue;
      const kind = sub.periodic ? 'periodic' : g === 'syslog' && p.syslogPatterns.length > 0 ? 'pattern' : 'severity';
      rows.push({
        profile: p.name,
        group: g,
        index: rows.length + 1,
        severity: sub.periodic ? 'normal' : severityShowName(sub.severity ?? (g === 'syslog' ? 'debugging' : 'normal')),
        subscription: kind,
        lastTriggered: lastTriggered(p.name, g) ?? 'n/a',
      });
    }
  }
  return rows;
}

/** `show call-home events`. */
export function renderShowCallHomeEvents(rows: readonly EventRow[]): string {
  const [w0, w1, w2, w3, w4] = EVENTS_LAYOUT.widths;
  const [h0, h1, h2, h3, h4, h5] = EVENTS_LAYOUT.columns;
  const row = (cells: readonly string[]): string =>
    `${col(cells[0] ?? '', w0)}${col(cells[1] ?? '', w1)}${col(cells[2] ?? '', w2)}${col(cells[3] ?? '', w3)}${col(cells[4] ?? '', w4)}${cells[5] ?? ''}`;
  return lines([
    EVENTS_LAYOUT.title,
    row([h0, h1, h2, h3, h4, h5]),
    row(EVENTS_LAYOUT.widths.map((w) => '-'.repeat(w - 2)).concat(['-'.repeat(24)])),
    ...rows.map((r) => row([r.profile, r.group, String(r.index), r.severity, r.subscription, r.lastTriggered])),
  ]);
}

/** The profile that carries Smart Licensing messages. */
function licensingProfile(c: CallHomeConfig) {
  return c.profiles.find((q) => q.active && q.reportSmartLicensing) ?? c.profiles.find((q) => q.predefined);
}

const status = (name: string, active: boolean): string => `Profile: ${name} (status: ${active ? 'ACTIVE' : 'INACTIVE'})`;

/** `show call-home smart-licensing`. */
export function renderShowCallHomeSmartLicensing(c: CallHomeConfig): string {
  const p = licensingProfile(c);
  const on = p?.active === true && p.reportSmartLicensing;
  const urls = p?.transportHttp ? p.httpUrls : [];
  return lines([
    SMART_LICENSING_LAYOUT.title,
    ` ${SMART_LICENSING_LAYOUT.messages}: ${on ? 'enabled' : 'disabled'}`,
    ` ${status(p?.name ?? CISCO_TAC_PROFILE, p?.active ?? false)}`,
    ` ${SMART_LICENSING_LAYOUT.urls}:  ${urls.length > 0 ? urls.join(', ') : NOT_SET}`,
  ]);
}

/** `show call-home smart-licensing statistics`: Smart Licensing messages by sub-type (the lab sends entitlement reports). */
export function renderShowCallHomeSmartLicensingStatistics(s: CallHomeStatistics): string {
  const [w0, w1, w2, w3] = SMART_LICENSING_STATS_LAYOUT.widths;
  const cell = (section: 'inQueue' | 'ratelimitDropped' | 'success' | 'failed'): number => s.sections[section].sch?.total ?? 0;
  const row = (c: readonly string[]): string => `${col(c[0] ?? '', w0)}${col(c[1] ?? '', w1)}${col(c[2] ?? '', w2)}${col(c[3] ?? '', w3)}${c[4] ?? ''}`;
  return lines([
    ...SMART_LICENSING_STATS_LAYOUT.legend,
    '',
    row(SMART_LICENSING_STATS_LAYOUT.columns),
    row(['-'.repeat(15), '-'.repeat(7), '-'.repeat(7), '-'.repeat(7), '-'.repeat(6)]),
    ...SMART_LICENSING_STATS_LAYOUT.subtypes.map((t) =>
      t === 'ENTITLEMENT'
        ? row([t, String(cell('inQueue')), String(cell('ratelimitDropped')), String(cell('success')), String(cell('failed'))])
        : row([t, '0', '0', '0', '0']),
    ),
  ]);
}

/** `show call-home diagnostic-signature`: settings and the (empty) table of downloaded signatures. */
export function renderShowCallHomeDiagnosticSignature(c: CallHomeConfig): string {
  const ds = c.diagnosticSignature;
  const name = ds?.profile ?? CISCO_TAC_PROFILE;
  const p = c.profiles.find((q) => q.name.toLowerCase() === name.toLowerCase());
  const urls = p ? (p.predefined ? [CISCO_TAC_URL] : p.httpUrls) : [];
  const env = ds?.environment ?? [];
  const L = DIAGNOSTIC_SIGNATURE_LAYOUT;
  return lines([
    L.title,
    ` ${L.state}: ${(ds?.active ?? true) ? 'enabled' : 'disabled'}`,
    ` ${status(name, p?.active ?? false)}`,
    ` ${L.urls}:  ${urls.length > 0 ? urls.join(', ') : NOT_SET}`,
    ` ${L.environment}`,
    ...(env.length === 0 ? [`           ${NOT_SET}`] : env.map((e) => `           ${e.name}: ${e.value}`)),
    '',
    L.downloaded,
    '',
    ...L.tableHeader,
    '---------- ---------------------------- -------- ---------- -------------------',
  ]);
}

/** `show call-home diagnostic-signature [DS-ID] VIEW`: the lab downloads none, so each view is its header. */
export function renderShowCallHomeDiagnosticSignatureView(view: DiagnosticSignatureView, dsId?: string): string {
  if (dsId !== undefined) return `% Diagnostic signature ${dsId} is not downloaded.\n`;
  return lines([...DIAGNOSTIC_SIGNATURE_VIEWS[view], '---------- ' + '-'.repeat(60)]);
}
