import nodemailer, { type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLongText, renderShortText, renderXml } from '../../src/callhome/codec.js';
import { buildMessage } from './build-message.js';
import { api, startTestBackend, type TestBackend } from './helpers.js';

let b: TestBackend;
let mailer: Transporter;
beforeAll(async () => {
  b = await startTestBackend();
  mailer = nodemailer.createTransport({ host: '127.0.0.1', port: b.smtpPort ?? 0, secure: false, ignoreTLS: true });
});
afterAll(async () => {
  mailer.close();
  await b.stop();
});

type Detail = { serial: string; hostname: string; type: string; transport: string; format: string; severity: number; attachments: { name: string; data: string }[]; fields: Record<string, unknown> };

async function mail(subject: string, text: string): Promise<void> {
  await mailer.sendMail({ from: 'r1@example.com', to: 'callhome@example.com', subject, text });
}
async function latest(serial: string): Promise<Detail> {
  const list = (await api<{ messages: { id: number }[] }>(b.url, `/messages?device=${serial}`)).body.messages;
  return (await api<Detail>(b.url, `/messages/${list[0]?.id ?? 0}`)).body;
}

describe('SMTP ingest', () => {
  it('stores an XML mail like an HTTP post, acknowledged after commit', async () => {
    const m = buildMessage({ serialNumber: 'MAIL0001', hostname: 'M1', kind: 'syslog', severity: 5, description: '%LINK-3-UPDOWN: Interface Gi1 changed state to down' });
    await mail('System Notification From M1 - syslog', renderXml(m));
    const d = await latest('MAIL0001');
    expect(d).toMatchObject({ serial: 'MAIL0001', hostname: 'M1', type: 'syslog', transport: 'email', format: 'xml', severity: 5 });
    expect((await api<{ registration: string }>(b.url, '/devices/MAIL0001')).body.registration).toBe('pending');
  });

  it('stores a long-text mail with the fields it carries and its command output', async () => {
    const m = buildMessage({ serialNumber: 'MAIL0002', hostname: 'M2', kind: 'diagnostic', severity: 4, description: 'DiagFanTest failed', attachments: [{ name: 'show diagnostic result module all', data: 'Module 1: passed\nM2#' }] });
    await mail('System Notification From M2 - diagnostic', renderLongText(m));
    const d = await latest('MAIL0002');
    expect(d).toMatchObject({ serial: 'MAIL0002', hostname: 'M2', type: 'diagnostic', format: 'long-text', severity: 4 });
    expect(d.fields['messageId']).toBe(m.messageId);
    expect(d.attachments).toEqual([{ name: 'show diagnostic result module all', data: 'Module 1: passed\nM2#' }]);
  });

  it('ties a short-text mail to the one device with that hostname; one it cannot place is stored unattributed and flagged (issue 11)', async () => {
    const m = buildMessage({ serialNumber: 'MAIL0002', hostname: 'M2', kind: 'syslog', severity: 5, description: '%SYS-2-MALLOCFAIL: Memory allocation failed' });
    await mail('M2 short', renderShortText(m));
    expect(await latest('MAIL0002')).toMatchObject({ format: 'short-text', type: 'syslog', severity: 5 });
    const count = b.events.filter((e) => e.type === 'message.rejected').length;
    // Before issue 11 a short text from an unknown host name was refused; it is kept now, against no device.
    await mail('??', renderShortText({ ...m, hostname: 'NOBODY', description: '%SYS-2-MALLOCFAIL: from nobody' }));
    expect(await latest('NOBODY')).toMatchObject({ format: 'short-text', hostname: 'NOBODY', serial: '', status: 'stored-only', flags: ['unattributed'] });
    await expect(mail('??', 'just words')).rejects.toThrow(/no Call Home message/);
    await expect.poll(() => b.events.filter((e) => e.type === 'message.rejected' && e.transport === 'email').length).toBe(count + 1);
  });

  it('stores an XML mail with 2 MiB of show output in CDATA, its lines ended CR LF as mail carries them', async () => {
    // Before the codec normalized line breaks once, the parser's per-CR copy made 1 MiB of such CDATA cost 12.8 s: refused.
    const output = Array.from({ length: 30_000 }, (_, i) => `GigabitEthernet1/0/${i % 48} is up, line protocol is up <connected> & ok`).join('\r\n');
    const m = buildMessage({ serialNumber: 'MAIL0004', hostname: 'M4', kind: 'inventory', attachments: [{ name: 'show interfaces status', data: output }] });
    const xml = renderXml(m);
    expect(xml).toContain('<![CDATA[GigabitEthernet1/0/0');
    await mailer.sendMail({ from: 'r4@example.com', to: 'callhome@example.com', subject: 'System Notification From M4 - inventory', attachments: [{ filename: 'callhome.xml', contentType: 'application/xml', content: Buffer.from(xml) }] });
    const d = await latest('MAIL0004');
    expect(d).toMatchObject({ serial: 'MAIL0004', transport: 'email', format: 'xml' });
    expect(d.attachments[0]?.data).toBe(output.replaceAll('\r\n', '\n'));
  }, 30_000);

  it('attaches send-CLI output mailed to a service request to that case (S49)', async () => {
    // Given a registered device with an open case
    await api(b.url, '/contracts', { method: 'POST', body: { contracts: [{ serial: 'MAIL0003', contractNumber: 'C-3' }] } });
    await mail('inv', renderXml(buildMessage({ serialNumber: 'MAIL0003', hostname: 'M3' })));
    const notes = (await api<{ notifications: { serial: string; body: string }[] }>(b.url, '/notifications')).body.notifications;
    const token = /Security token: (\S+)/.exec(notes.find((n) => n.serial === 'MAIL0003')?.body ?? '')?.[1] ?? '';
    expect((await api(b.url, '/registrations/MAIL0003/confirm', { method: 'POST', body: { token } })).status).toBe(200);
    await mail('crash', renderXml(buildMessage({ serialNumber: 'MAIL0003', hostname: 'M3', kind: 'crash', severity: 6, description: 'TRACEBACK in process IP Input' })));
    const number = (await api<{ cases: { number: string; serial: string }[] }>(b.url, '/cases')).body.cases.find((c) => c.serial === 'MAIL0003')?.number ?? '';
    expect(number).not.toBe('');
    // When the device mails command output to the SR in long text, with the SR number in the subject
    const out = buildMessage({ serialNumber: 'MAIL0003', hostname: 'M3', kind: 'send-cli', description: 'send-cli', attachments: [{ name: 'show tech-support', data: 'lots of output\nM3#' }] });
    await mail(`System Notification From M3 - send-cli - 2026-11-23 10:00:00 GMT+00:00 - SR#${number}`, renderLongText(out));
    // Then the case has it
    const c = (await api<{ attachments: { name: string }[]; history: { note: string }[] }>(b.url, `/cases/${number}`)).body;
    expect(c.attachments.map((a) => a.name)).toContain('show tech-support');
    expect(c.history.at(-1)?.note).toBe('output attached: show tech-support');
  });
});
