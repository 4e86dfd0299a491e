import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallHomeMessage } from '../../src/domain/message.js';
import { renderXml } from '../../src/callhome/codec.js';
import { defaultRulesFile, loadRules } from '../../src/backend/processing/rules.js';
import { buildMessage } from './build-message.js';
import { api, postXml, startTestBackend, type TestBackend } from './helpers.js';
import { importBackOffice, trialFixture } from './entitlement/fixtures.js';

type Case = { number: string; status: string; priority: number; title: string; history: { note: string }[]; attachments: { name: string }[]; recommendation: string };
type Results = { rules: string[]; caseAction: string; caseNumber?: string; notifiedTo?: string[]; recommendations?: string[] };

let b: TestBackend;
const SERIAL = 'RULE0001';
const dir = mkdtempSync(join(tmpdir(), 'callhome-rules-'));

async function send(m: Partial<CallHomeMessage>): Promise<{ id: number; results: Results; status: string }> {
  const r = await postXml(b.url, renderXml(buildMessage({ serialNumber: SERIAL, hostname: 'R9', ...m })));
  expect(r.status).toBe(200);
  return (await api<{ id: number; results: Results; status: string }>(b.url, `/messages/${Number(r.json['id'])}`)).body;
}

beforeAll(async () => {
  const rulesFile = join(dir, 'rules.yaml');
  // A custom rules file: the shipped rules' shape, plus one organisation-specific syslog rule.
  writeFileSync(
    rulesFile,
    `rules:
  - name: bgp-down
    match: { type: syslog, event: "BGP-5-ADJCHANGE", text: "Down" }
    outcome: notify
    recommendation: "Check the BGP neighbour."
  - name: temp
    match: { type: environment, event: "TEMP_FAILURE", minSeverity: minor }
    outcome: case
    priority: 2
    fold: temperature
    recommendation: "Check the fans."
  - name: temp-ok
    match: { type: environment, event: "TEMP_RECOVER" }
    outcome: recover
    fold: temperature
  - name: diag-minor
    match: { type: diagnostic, minSeverity: minor }
    outcome: notify
    recommendation: "Re-run the test."
  - name: rest
    match: {}
    outcome: none
`,
  );
  b = await startTestBackend({ rulesFile });
  await api(b.url, '/contracts', { method: 'POST', body: { contracts: [{ serial: SERIAL, contractNumber: 'C-1' }] } });
  await postXml(b.url, renderXml(buildMessage({ serialNumber: SERIAL, hostname: 'R9' })));
  const notes = (await api<{ notifications: { body: string }[] }>(b.url, '/notifications')).body.notifications;
  const token = /Security token: (\S+)/.exec(notes[0]?.body ?? '')?.[1] ?? '';
  expect((await api(b.url, `/registrations/${SERIAL}/confirm`, { method: 'POST', body: { token } })).status).toBe(200);
  // Device preferences add a recipient (S57); a bad address is refused.
  expect((await api(b.url, `/devices/${SERIAL}/preferences`, { method: 'PUT', body: { notifyEmails: ['oncall@example.com'] } })).status).toBe(200);
  expect((await api(b.url, `/devices/${SERIAL}/preferences`, { method: 'PUT', body: { notifyEmails: ['not-an-address'] } })).status).toBe(400);
});
afterAll(async () => {
  await b.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('rules from a rules file, end to end from messages', () => {
  let caseNumber = '';

  it('a failure opens a case with the command output attached and notifies with the case link', async () => {
    const m = await send({ kind: 'environment', severity: 5, description: 'TEMP_FAILURE: TempHigh inlet 70C', attachments: [{ name: 'show environment all', data: 'show environment all\nInlet 70C\nR9#' }] });
    expect(m.results).toMatchObject({ rules: ['temp'], caseAction: 'created', recommendations: ['Check the fans.'], notifiedTo: ['noc@example.com', 'oncall@example.com'] });
    caseNumber = m.results.caseNumber ?? '';
    const c = (await api<Case>(b.url, `/cases/${caseNumber}`)).body;
    expect(c).toMatchObject({ status: 'open', priority: 2, title: 'TEMP_FAILURE on R9', recommendation: 'Check the fans.' });
    expect(c.attachments.map((a) => a.name)).toEqual(['show environment all']);
    const n = (await api<{ notifications: { kind: string; body: string }[] }>(b.url, '/notifications')).body.notifications[0];
    expect(n?.kind).toBe('case-created');
    expect(n?.body).toContain(`TAC case: ${b.url}/api/v1/cases/${caseNumber}`);
    expect(n?.body).toContain('Message name: TEMP_FAILURE');
    expect(n?.body).toContain('Contract ID: C123456');
    expect(b.events.some((e) => e.type === 'case.opened' && e.case.number === caseNumber)).toBe(true);
  });

  it('a repeat failure folds into the open case instead of opening another', async () => {
    const m = await send({ kind: 'environment', severity: 5, description: 'TEMP_FAILURE: TempHigh inlet 72C' });
    expect(m.results).toMatchObject({ caseAction: 'updated', caseNumber });
    expect((await api<{ cases: unknown[] }>(b.url, '/cases')).body.cases).toHaveLength(1);
  });

  it('a recovery updates the open case', async () => {
    const m = await send({ kind: 'environment', severity: 1, description: 'TEMP_RECOVER: TempOk inlet 30C' });
    expect(m.results).toMatchObject({ rules: ['temp-ok'], caseAction: 'updated', caseNumber });
    const c = (await api<Case>(b.url, `/cases/${caseNumber}`)).body;
    expect(c.status).toBe('updated');
    expect(c.history.map((h) => h.note)).toEqual([expect.stringContaining('70C'), expect.stringContaining('72C'), expect.stringMatching(/^recovery: TEMP_RECOVER/)]);
    expect(b.events.filter((e) => e.type === 'case.updated' && e.case.number === caseNumber)).toHaveLength(2);
  });

  it('a notify rule sends a notification with the recommendation and opens no case', async () => {
    const m = await send({ kind: 'syslog', severity: 2, description: '*Nov 23 10:00:00: %BGP-5-ADJCHANGE: neighbor 10.0.0.2 Down BGP Notification sent' });
    expect(m.results).toMatchObject({ rules: ['bgp-down'], caseAction: 'none', notifiedTo: ['noc@example.com', 'oncall@example.com'] });
    const n = (await api<{ notifications: { kind: string; body: string }[] }>(b.url, '/notifications')).body.notifications[0];
    expect(n).toMatchObject({ kind: 'syslog' });
    expect(n?.body).toContain('Recommendation: Check the BGP neighbour.');
    const d = await send({ kind: 'diagnostic', severity: 4, description: 'DiagFanTest failed' });
    expect(d.results).toMatchObject({ rules: ['diag-minor'], caseAction: 'none' });
    expect((await api<{ cases: unknown[] }>(b.url, '/cases')).body.cases).toHaveLength(1);
  });

  it('collapses an identical syslog event inside the 60 s window (S47)', async () => {
    const line = '%BGP-5-ADJCHANGE: neighbor 10.0.0.9 Down Hold timer expired';
    const first = await send({ kind: 'syslog', severity: 2, description: `*Nov 23 10:01:00.001: ${line}` });
    expect(first.results.rules).toEqual(['bgp-down']);
    const notes = (await api<{ notifications: unknown[] }>(b.url, '/notifications')).body.notifications.length;
    const repeat = await send({ kind: 'syslog', severity: 2, description: `*Nov 23 10:01:05.412: ${line}` });
    expect(repeat).toMatchObject({ status: 'processed', results: { rules: [], caseAction: 'none', note: expect.stringContaining('collapsed') as unknown as string } });
    expect((await api<{ notifications: unknown[] }>(b.url, '/notifications')).body.notifications.length).toBe(notes);
  });

  it('a message no rule acts on produces nothing', async () => {
    const notes = (await api<{ notifications: unknown[] }>(b.url, '/notifications')).body.notifications.length;
    const m = await send({ kind: 'syslog', severity: 2, description: '*Nov 23 10:00:00: %SYS-5-CONFIG_I: Configured from console' });
    expect(m).toMatchObject({ status: 'processed', results: { rules: ['rest'], caseAction: 'none' } });
    expect((await api<{ notifications: unknown[] }>(b.url, '/notifications')).body.notifications.length).toBe(notes);
  });
});

describe('the shipped rules', () => {
  it('are each described in the README\'s back-end section', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const missing = loadRules(defaultRulesFile()).filter((r) => !readme.includes(`\`${r.name}\``)).map((r) => r.name);
    expect(missing).toEqual([]);
  });
});

describe('the syslog de-dup window (S47) on an injected clock', () => {
  let clocked: TestBackend;
  let offset = 0;
  beforeAll(async () => {
    clocked = await startTestBackend({ now: () => new Date(Date.now() + offset) });
    await importBackOffice(clocked.url, trialFixture(['DEDUP001']));
    await postXml(clocked.url, renderXml(buildMessage({ serialNumber: 'DEDUP001', hostname: 'R8' })));
    const notes = (await api<{ notifications: { kind: string; body: string }[] }>(clocked.url, '/notifications')).body.notifications;
    const token = /Security token: (\S+)/.exec(notes.find((n) => n.kind === 'pending-registration')?.body ?? '')?.[1] ?? '';
    expect((await api(clocked.url, '/registrations/DEDUP001/confirm', { method: 'POST', body: { token } })).status).toBe(200);
  });
  afterAll(() => clocked.stop());

  it('collapses the same line 59 s later, acts on it again after 60 s; another line is never collapsed', async () => {
    const line = '%LINK-3-UPDOWN: Interface GigabitEthernet1, changed state to down';
    const post = async (text: string): Promise<Results & { note?: string }> => {
      const r = await postXml(clocked.url, renderXml(buildMessage({ serialNumber: 'DEDUP001', hostname: 'R8', kind: 'syslog', severity: 5, eventName: 'LINK-3-UPDOWN', description: text })));
      expect(r.status).toBe(200);
      return (await api<{ results: Results & { note?: string } }>(clocked.url, `/messages/${Number(r.json['id'])}`)).body.results;
    };
    expect((await post(`*Dec  7 01:00:00.000: ${line}`)).rules).toEqual(['syslog-major']);
    offset = 59_000;
    expect(await post(`*Dec  7 01:00:59.000: ${line}`)).toMatchObject({ rules: [], note: 'identical syslog message within 60 s: collapsed' });
    expect((await post('*Dec  7 01:00:59.500: %LINK-3-UPDOWN: Interface GigabitEthernet2, changed state to down')).rules).toEqual(['syslog-major']);
    offset = 61_000;
    const again = await post(`*Dec  7 01:01:01.000: ${line}`);
    expect(again.rules).toEqual(['syslog-major']);
    expect(again.notifiedTo).toEqual(['noc@example.com']);
  });
});
