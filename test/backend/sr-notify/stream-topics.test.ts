/**
 * The S94 stream topics over a real WebSocket client (ws) on a real back end: message processed,
 * notification sent, SR change (case.opened / updated / closed), mail-server status (the notification
 * relay going up and down) and gateway status (the gateway's own events, with its mailbox state). Every frame is validated against the protocol, and the
 * client's seqs stay gap-free throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendEvent } from '../../../src/events/protocol.js';
import { GATEWAY_AUTH_HEADER, GATEWAY_STATUS_PATH, gatewayAuth } from '../../../src/backend/gateway/protocol.js';
import { api, TOKEN } from '../helpers.js';
import { record, waitFor, type Recorder } from '../stream/helpers.js';
import { register, send, startRig, tempFailure, type Rig } from './helpers.js';

let rig: Rig;
let client: Recorder;
let sinkClosed = false;
beforeAll(async () => {
  rig = await startRig();
  client = await record(`${rig.b.url.replace(/^http/, 'ws')}/events?token=${TOKEN}`);
});
afterAll(async () => {
  client.ws.close();
  if (sinkClosed) await rig.b.stop();
  else await rig.stop();
});

const events = (): BackendEvent[] => client.frames.flatMap((f) => ('seq' in f ? [f] : []));
const ofType = <T extends BackendEvent['type']>(type: T) => events().filter((e): e is Extract<BackendEvent, { type: T }> => e.type === type);
const until = (what: string, ok: () => boolean) => waitFor(ok, 10_000, what);

describe('S94 stream topics', () => {
  it('message.processed carries what processing did: the case it opened and who was notified', async () => {
    await register(rig.b, 'STREAM01', { contract: 'C-200', hostname: 'wan1' });
    const m = await send(rig.b, tempFailure('STREAM01', 'wan1'));
    await until('message.processed', () => ofType('message.processed').some((e) => e.id === m.id));
    const e = ofType('message.processed').find((x) => x.id === m.id);
    expect(e).toMatchObject({ serial: 'STREAM01', status: 'processed', caseAction: 'created', caseNumber: m.results.caseNumber, srFailure: null });
    expect(e?.notifiedTo).toContain('noc@example.com');
  });

  it('notification.sent follows each notification, delivered once the relay took it', async () => {
    await until('a delivered case-created notification', () => ofType('notification.sent').some((e) => e.notification.serial === 'STREAM01' && e.notification.kind === 'case-created' && e.notification.delivered));
  });

  it('SR changes: case.opened, case.updated on a repeat, case.closed when an operator closes it', async () => {
    const number = ofType('case.opened').find((e) => e.case.serial === 'STREAM01')?.case.number ?? '';
    expect(number).not.toBe('');
    await send(rig.b, tempFailure('STREAM01', 'wan1'));
    await until('case.updated', () => ofType('case.updated').some((e) => e.case.number === number));
    expect((await api(rig.b.url, `/cases/${number}/close`, { method: 'POST', body: { note: 'done' } })).status).toBe(200);
    await until('case.closed', () => ofType('case.closed').some((e) => e.case.number === number));
    expect(ofType('case.closed').find((e) => e.case.number === number)?.case.status).toBe('closed');
  });

  it('gateway status: registered, a status report with its mailbox state, deleted', async () => {
    const reg = await api<{ id: string; password: string }>(rig.b.url, '/gateways', { method: 'POST', body: { name: 'edge-tg' } });
    expect(reg.status).toBe(201);
    await until('gateway.registered', () => ofType('gateway.registered').some((e) => e.gateway.id === reg.body.id));
    const report = {
      reportedAt: new Date().toISOString(),
      queue: { queued: 0, held: 0, refused: 0, bytes: 0, maxBytes: null, full: false },
      sendFlag: true,
      forwarding: { state: 'ok', since: null, lastError: null },
      mailbox: { address: 'imap://127.0.0.1:1143/INBOX', state: 'failed', lastPoll: null, lastError: 'connection refused' },
      activity: { queued: 0, forwarded: 0, refused: 0, held: 0, purged: 0, refusedAtIntake: 0 },
    };
    const posted = await fetch(`${rig.b.url}${GATEWAY_STATUS_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', [GATEWAY_AUTH_HEADER]: gatewayAuth(reg.body.id, reg.body.password) }, body: JSON.stringify(report) });
    expect(posted.status).toBe(200);
    await until('gateway.status', () => ofType('gateway.status').some((e) => e.gateway.id === reg.body.id));
    expect(ofType('gateway.status').find((e) => e.gateway.id === reg.body.id)?.status.mailbox).toMatchObject({ state: 'failed', lastError: 'connection refused' });
    expect((await api(rig.b.url, `/gateways/${reg.body.id}`, { method: 'DELETE' })).status).toBe(200);
    await until('gateway.deleted', () => ofType('gateway.deleted').some((e) => e.gateway.id === reg.body.id));
  });

  it('mailserver.status: the relay is up after a delivery, down (with the error) when it stops answering', async () => {
    await until('relay up', () => ofType('mailserver.status').some((e) => e.server === 'relay' && e.state === 'up'));
    await rig.sink.close();
    sinkClosed = true;
    await send(rig.b, { serialNumber: 'STREAM01', hostname: 'wan1', kind: 'test', subType: '', description: 'relay check' });
    await until('relay down', () => ofType('mailserver.status').some((e) => e.server === 'relay' && e.state === 'down'));
    const down = ofType('mailserver.status').find((e) => e.state === 'down');
    expect(down?.detail).not.toBe('');
    // One event per change, not one per mail.
    expect(ofType('mailserver.status').map((e) => e.state)).toEqual(['up', 'down']);
  });

  it('delivered every event once, in seq order, with no gap', () => {
    const seqs = client.seqs();
    expect(seqs.length).toBeGreaterThan(10);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe((seqs[i - 1] ?? 0) + 1);
  });
});
