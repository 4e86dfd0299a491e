/**
 * Arbitrary MIME-ish mails for fuzzing e-mail ingest: hostile headers (CRLF injection, encoded
 * words with odd charsets, very long lines), single-part and multipart bodies in every transfer
 * encoding (valid and broken base64 / quoted-printable), and payloads that are Call Home XML, long
 * text, short text or junk.
 */
import fc from 'fast-check';
import { renderLongText, renderShortText, renderXml } from '../../src/callhome/codec.js';
import { SAMPLE_XML } from '../backend/helpers.js';
import { hostileMessage, mutatedDocument } from './messages.js';
import { hostileText, mutatedLines } from './support.js';

const message = hostileMessage.map((m) => ({ ...m, severity: Number.isInteger(m.severity) ? Math.abs(m.severity) % 10 : 0 }));

/** What a mail carries: a Call Home message in some format (maybe damaged), or junk. */
export const payload: fc.Arbitrary<string> = fc.oneof(
  message.map(renderXml),
  message.map(renderLongText),
  message.map(renderShortText),
  message.chain((m) => mutatedLines(renderLongText(m))),
  mutatedDocument(SAMPLE_XML),
  hostileText(400),
  fc.constantFrom('', '\r\n', '.', '..\r\n.\r\n', 'TimeStamp : x\nAffected Chassis Serial Number : \n', 'R1 2026-01-01 00:00:00 GMT+00:00 x critical'),
  fc.integer({ min: 1_000, max: 8_000 }).map((n) => `TimeStamp : ${'a : '.repeat(n)}`),
);

const CHARSETS = ['utf-8', 'us-ascii', 'iso-8859-1', 'windows-1252', 'utf-7', 'utf-16le', 'utf-16', 'shift_jis', 'x-unknown-charset', '', '"utf-8"; format=flowed'];

/** A header value: plain, hostile, CRLF-injected, RFC 2047 encoded words, or very long. */
const headerValue = fc.oneof(
  fc.stringMatching(/^[ -~]{0,40}$/),
  hostileText(60),
  fc.constantFrom('x\r\nBcc: evil@example.com', 'x\nX-Injected: 1', 'x\r\n\r\n<body>', 'SR#12345 System Notification', '=?utf-8?B?U1IjMTIzNDU2?=', '=?x-bogus?Q?=FF=FE?=', '=?utf-8?B?!!!?=', '=?iso-8859-1?Q?caf=E9?=', '"unterminated', '<a@b>', '@', ''),
  fc.integer({ min: 1_000, max: 5_000 }).map((n) => 'h'.repeat(n)),
);

/** How a part's body is encoded on the wire. */
const encoding = fc.constantFrom('7bit', '8bit', 'base64', 'quoted-printable', 'binary', 'x-bogus');

function encodeBody(body: string, how: string, broken: boolean): string {
  if (how === 'base64') {
    const b64 = Buffer.from(body, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
    return broken ? `${b64.slice(0, Math.max(0, b64.length - 3))}!@#$%` : b64;
  }
  if (how === 'quoted-printable') {
    const qp = body.replace(/[=\u0080-\uffff]/g, (c) => [...Buffer.from(c, 'utf8')].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
    return broken ? `${qp}=Z=\r\n=4` : qp;
  }
  return body;
}

type Part = { type: string; charset: string; encoding: string; broken: boolean; filename: string | null; body: string };

const part: fc.Arbitrary<Part> = fc.record({
  type: fc.constantFrom('text/plain', 'text/xml', 'application/xml', 'application/soap+xml', 'text/html', 'application/octet-stream', 'message/rfc822', 'bogus'),
  charset: fc.constantFrom(...CHARSETS),
  encoding,
  broken: fc.boolean(),
  filename: fc.option(fc.constantFrom('callhome.xml', 'x.txt', '../../etc/passwd', 'a\r\nb.xml', ''), { nil: null }),
  body: payload,
});

function renderPart(p: Part): string {
  const charset = p.charset === '' ? '' : `; charset=${p.charset}`;
  const disposition = p.filename === null ? '' : `Content-Disposition: attachment; filename="${p.filename}"\r\n`;
  return `Content-Type: ${p.type}${charset}\r\nContent-Transfer-Encoding: ${p.encoding}\r\n${disposition}\r\n${encodeBody(p.body, p.encoding, p.broken)}`;
}

/** A whole mail as raw RFC 5322 text (the SMTP DATA section). */
export const rawMail: fc.Arbitrary<string> = fc
  .record({
    from: headerValue,
    subject: headerValue,
    extra: fc.array(fc.tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/), headerValue), { maxLength: 3 }),
    mime: fc.boolean(),
    multipart: fc.oneof(
      { weight: 2, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('mixed', 'alternative', 'related'), boundary: fc.constantFrom('b1', '', '"quoted b"', '-'.repeat(80), 'x'), parts: fc.array(part, { maxLength: 3 }), close: fc.boolean() }) },
    ),
    single: part,
    lineEnd: fc.constantFrom('\r\n', '\n'),
  })
  .map((m) => {
    const headers = [`From: ${m.from}`, 'To: callhome@example.com', `Subject: ${m.subject}`, ...m.extra.map(([k, v]) => `${k}: ${v}`), ...(m.mime ? ['MIME-Version: 1.0'] : [])];
    let body: string;
    if (m.multipart) {
      const b = m.multipart.boundary.replace(/^"|"$/g, '');
      headers.push(`Content-Type: multipart/${m.multipart.kind}; boundary=${m.multipart.boundary || '""'}`);
      body = `${m.multipart.parts.map((p) => `--${b}\r\n${renderPart(p)}\r\n`).join('')}${m.multipart.close ? `--${b}--\r\n` : ''}`;
    } else {
      const [head = '', ...rest] = renderPart(m.single).split('\r\n\r\n');
      headers.push(...head.split('\r\n'));
      body = rest.join('\r\n\r\n');
    }
    return `${headers.join('\r\n')}\r\n\r\n${body}`.replace(/\r\n/g, m.lineEnd);
  });
