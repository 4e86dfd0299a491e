/**
 * One layout owner per command: for random configurations of each train, the lab's renderers
 * (src/lab/show) print them and the parsers read back the same model, with nothing unparsed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALERT_GROUPS, TRAINS, type CallHomeConfig, type Profile, type Train } from '../../../src/domain/callhome.js';
import { STATS_ROWS, STATS_SECTIONS, type CallHomeStatistics } from '../../../src/domain/statistics.js';
import { profileSubscriptions } from '../../../src/fleet/plan-target.js';
import { parseShowCallHome, parseShowCallHomeDetail, parseShowCallHomeProfile, parseShowCallHomeStatistics } from '../../../src/ios/parsers/index.js';
import { renderShowCallHome, renderShowCallHomeDetail } from '../../../src/lab/show/call-home.js';
import { listedProfiles, profileLines } from '../../../src/lab/show/profile.js';
import { renderShowCallHomeStatistics } from '../../../src/lab/show/statistics.js';
import { arbitraryCallHomeConfig } from '../config/arbitraries.js';

const SERIAL = '9ABCDEF1234';
const runs = Number(process.env['FUZZ_RUNS'] ?? 100);

/** What a profile block carries in a train's layout. */
function shown(p: Profile, train: Train) {
  return {
    name: p.name,
    active: p.active,
    mode: p.mode,
    format: p.format,
    messageSizeLimit: p.messageSizeLimit,
    transportEmail: p.transportEmail,
    transportHttp: p.transportHttp,
    // IOS XE lists the addresses of the transports in use only.
    emailAddresses: train === 'xe' && !p.transportEmail ? [] : p.emailAddresses,
    httpUrls: train === 'xe' && !p.transportHttp ? [] : p.httpUrls,
    ...(train === 'xe' ? { reportSmartCallHome: p.reportSmartCallHome, reportSmartLicensing: p.reportSmartLicensing } : {}),
    subscriptions: profileSubscriptions(p),
  };
}

/** What the settings block carries. */
function settings(c: CallHomeConfig, train: Train) {
  return {
    serviceEnabled: c.serviceEnabled,
    contactEmail: c.contactEmail,
    phoneNumber: c.phoneNumber,
    streetAddress: c.streetAddress,
    customerId: c.customerId,
    mailServers: [...c.mailServers].sort((a, b) => a.priority - b.priority).map((m) => (train === 'xe' ? m : { host: m.host, priority: m.priority })),
    ...(train === 'xe'
      ? { httpServerIdentityCheck: c.httpServerIdentityCheck !== false, httpResolveHostname: c.httpResolveHostname ?? 'default', sourceInterface: c.sourceInterface }
      : {}),
  };
}

const pick = (o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> => Object.fromEntries(keys.map((k) => [k, o[k]]));

describe.each(TRAINS)('%s layouts: lab render → parse → same model (property)', (train) => {
  it('show call-home detail and summary', () => {
    fc.assert(
      fc.property(arbitraryCallHomeConfig(SERIAL, train), (c) => {
        // Values IOS prints as "not set" cannot round-trip; the generator never makes them.
        const detailText = renderShowCallHomeDetail(c, train);
        const detail = parseShowCallHomeDetail(detailText);
        if (!detail.ok) throw new Error(JSON.stringify(detail.error));
        expect(detail.value.unparsed, detailText).toBeUndefined();
        const want = settings(c, train);
        expect(pick(detail.value.settings as Record<string, unknown>, Object.keys(want)), detailText).toEqual(want);
        expect(detail.value.alertGroups.map((g) => [g.keyword, g.enabled])).toEqual(ALERT_GROUPS.map((g) => [g, c.alertGroupEnabled[g]]));
        expect(detail.value.profiles.map((p) => shown(p, train))).toEqual(listedProfiles(c.profiles).map((p) => shown(p, train)));
        const summary = parseShowCallHome(renderShowCallHome(c, train));
        if (!summary.ok) throw new Error(JSON.stringify(summary.error));
        expect(summary.value.unparsed).toBeUndefined();
        expect(summary.value.profiles).toEqual(listedProfiles(c.profiles).map((p) => p.name));
      }),
      { numRuns: runs },
    );
  });

  it('show call-home profile NAME', () => {
    fc.assert(
      fc.property(arbitraryCallHomeConfig(SERIAL, train), (c) => {
        for (const p of c.profiles) {
          const indent = train === 'xe' ? '    ' : '  ';
          const text = profileLines(p, train).map((l, i) => (l === '' ? '' : i === 0 ? l : `${indent}${l}`)).join('\n');
          const parsed = parseShowCallHomeProfile(text);
          if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
          expect(parsed.value.unparsed, text).toBeUndefined();
          expect(parsed.value.profiles.map((q) => shown(q, train))).toEqual([shown(p, train)]);
        }
      }),
      { numRuns: runs },
    );
  });

  it('show call-home statistics', () => {
    const cell = fc.record({ total: fc.nat(99_999), email: fc.nat(99_999), http: fc.nat(99_999) });
    const rows = train === 'xe' ? STATS_ROWS.filter((r) => r !== 'total') : STATS_ROWS.filter((r) => r !== 'total' && r !== 'sch');
    const table = fc.record(Object.fromEntries(rows.map((r) => [r, cell])) as Record<string, typeof cell>);
    const stats = fc.record({
      sections: fc.record(Object.fromEntries(STATS_SECTIONS.map((s) => [s, table])) as Record<string, typeof table>),
      lastSent: fc.option(fc.constant('2026-11-23 10:15:30 GMT+00:00'), { nil: null }),
    });
    fc.assert(
      fc.property(stats, (s) => {
        const text = renderShowCallHomeStatistics(s as unknown as CallHomeStatistics, train);
        const parsed = parseShowCallHomeStatistics(text);
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
        expect(parsed.value.unparsed, text).toBeUndefined();
        for (const section of STATS_SECTIONS) {
          const got = parsed.value.sections[section];
          for (const r of rows) expect(got[r], `${section} ${r}`).toEqual((s.sections[section] as Record<string, unknown>)[r]);
        }
        expect(parsed.value.lastSent).toBe(s.lastSent);
      }),
      { numRuns: runs },
    );
  });
});
