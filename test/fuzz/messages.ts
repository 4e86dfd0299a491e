/**
 * Arbitraries for hostile Call Home input: messages with hostile field values rendered by the lab's
 * own renderers, XML-ish trees that use the Call Home namespaces, character-level mutations of a
 * valid document, and DOCTYPE / entity payloads. Shared by the XML and e-mail fuzz tests.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Refusal, RefusalKind } from '../../src/backend/ingest/refusal.js';
import { MESSAGE_KINDS } from '../../src/domain/callhome.js';
import type { CallHomeMessage } from '../../src/domain/message.js';
import { CALL_HOME_NAMESPACES } from '../../src/callhome/codec.js';
import { buildMessage } from '../backend/build-message.js';
import { hostileText } from './support.js';

/** The verbatim guide sample (ios-call-home.md §6.6). */
export const GUIDE_SAMPLE = readFileSync(new URL('../fixtures/messages/guide-sample-syslog.xml', import.meta.url), 'utf8');

const REFUSAL_KINDS: readonly RefusalKind[] = ['not-xml', 'forbidden-dtd', 'too-complex', 'not-call-home', 'no-serial', 'too-large', 'content-type'];

/** Asserts that a value is the ingest's own Refusal: a known kind and a reason that says something. */
export function expectRefusal(value: Refusal): void {
  expect(REFUSAL_KINDS).toContain(value.kind);
  expect(typeof value.reason).toBe('string');
  expect(value.reason.trim().length).toBeGreaterThan(10);
}

/** A field value: usually short and printable, sometimes hostile (controls, markup, unicode, long). */
const field = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9 .:@_-]{0,20}$/) },
  { weight: 2, arbitrary: hostileText(30) },
  { weight: 1, arbitrary: fc.constantFrom('<', '>', '&', ']]>', '<![CDATA[', '&amp;', '&#0;', '&#x110000;', '&lol;', '"', "'", ' : ', 'SR#12345', '%SYS-2-X: y') },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 2_000 }).map((n) => 'x'.repeat(n)) },
);

/** A full message whose every text field may be hostile. */
export const hostileMessage: fc.Arbitrary<CallHomeMessage> = fc
  .record({
    serialNumber: fc.oneof(fc.stringMatching(/^[A-Z0-9]{6,11}$/), field),
    kind: fc.constantFrom(...MESSAGE_KINDS),
    severity: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0)),
    eventName: field,
    eventTime: field,
    description: field,
    hostname: field,
    contactEmail: field,
    streetAddress: field,
    subType: field,
    deviceId: field,
    model: field,
    cards: fc.array(fc.record({ model: field, serialNumber: field, partNumber: field, location: field, hardwareVersion: field, softwareVersion: field }), { maxLength: 3 }),
    attachments: fc.array(fc.record({ name: field, data: fc.oneof(field, hostileText(300)) }), { maxLength: 3 }),
  })
  .map((o) => buildMessage(o));

const NS_URIS = [...Object.values(CALL_HOME_NAMESPACES), 'urn:other', ''];
const NAMES = ['soap-env:Envelope', 'soap-env:Header', 'soap-env:Body', 'aml-session:Session', 'aml-session:MessageId', 'aml-block:Block', 'aml-block:Header', 'aml-block:Content', 'aml-block:Type', 'aml-block:Severity', 'aml-block:Attachments', 'aml-block:Attachment', 'aml-block:Data', 'ch:CallHome', 'ch:Event', 'ch:Type', 'ch:CustomerData', 'ch:ContractData', 'ch:DeviceId', 'ch:Device', 'rme:Chassis', 'rme:SerialNumber', 'rme:AdditionalInformation', 'rme:AD', 'rme:Card', 'a', 'x:y', 'b:'];
const PREFIXES = ['soap-env', 'aml-session', 'aml-block', 'ch', 'rme', 'x'];

/** A piece of XML text content: plain, escaped, character references (valid and not), CDATA, comments, PIs. */
const xmlText = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9 .@:_-]{0,12}$/),
  fc.constantFrom('&amp;', '&lt;', '&#65;', '&#x41;', '&#0;', '&#x110000;', '&#99999999999999999999;', '&#xD800;', '&bogus;', '&', '<![CDATA[x]]>', '<![CDATA[]]>', '<!-- c -->', '<?pi x?>', 'syslog', 'inventory', '9S1NMSF22DW', 'CSR1000V@C@ABC123'),
  hostileText(10),
);

type Tree = { name: string; attrs: [string, string][]; content: (Tree | string)[] };

const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.record({
    name: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z_][\w.:-]{0,8}$/) }),
    attrs: fc.array(
      fc.oneof(
        fc.tuple(fc.constantFrom(...PREFIXES).map((p) => `xmlns:${p}`), fc.constantFrom(...NS_URIS)),
        fc.tuple(fc.constant('xmlns'), fc.constantFrom(...NS_URIS)),
        fc.tuple(fc.constantFrom('name', 'value', 'version', 'soap-env:role'), xmlText.map((t) => t.replace(/["<]/g, ''))),
      ),
      { maxLength: 3 },
    ),
    content: fc.array(fc.oneof({ weight: 2, arbitrary: xmlText }, { weight: 1, arbitrary: tie('node') }), { maxLength: 4, depthIdentifier: 'xml' }),
  }),
})).node;

function renderTree(t: Tree): string {
  const attrs = t.attrs.map(([k, v]) => ` ${k}="${v}"`).join('');
  const inner = t.content.map((c) => (typeof c === 'string' ? c : renderTree(c))).join('');
  return `<${t.name}${attrs}>${inner}</${t.name}>`;
}

/** XML-ish documents built from Call Home element names and namespaces, mostly well-formed. */
export const xmlTree: fc.Arbitrary<string> = fc.tuple(fc.boolean(), tree).map(([decl, t]) => `${decl ? '<?xml version="1.0" encoding="UTF-8"?>\n' : ''}${renderTree(t)}`);

/** Markup fragments that break or bend well-formedness when spliced into a document. */
const SPLICE = fc.oneof(
  fc.constantFrom('<', '>', '</', '/>', '&', '&amp', '"', "'", '<![CDATA[', ']]>', '<!--', '-->', '<?', '?>', '<a>', '</a>', '<ch:Type>', '</soap-env:Body>', 'xmlns:ch="urn:x"', '\u0000', '\ufeff', '<rme:SerialNumber>X</rme:SerialNumber>', '&#xD800;', '&#xDFFF;&#xD800;'),
  hostileText(12),
);

/** Character-level mutations of a valid document: delete, insert, duplicate and swap ranges. */
export function mutatedDocument(doc: string): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof(
        fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
        fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: SPLICE }),
        fc.record({ kind: fc.constant('dup' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }) }),
        fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }), text: SPLICE }),
      ),
      { minLength: 1, maxLength: 5 },
    )
    .map((ops) => {
      let s = doc;
      for (const op of ops) {
        const i = s.length === 0 ? 0 : op.at % s.length;
        if (op.kind === 'delete') s = s.slice(0, i) + s.slice(i + op.len);
        else if (op.kind === 'insert') s = s.slice(0, i) + op.text + s.slice(i);
        else if (op.kind === 'dup') s = s.slice(0, i + op.len) + s.slice(i, i + op.len) + s.slice(i + op.len);
        else s = s.slice(0, i) + op.text + s.slice(i + op.len);
      }
      return s;
    });
}

/** DOCTYPE and entity payloads (billion laughs, external entities, parameter entities), placed anywhere. */
/** A DOCTYPE or ENTITY payload placed anywhere in `doc`; whether it landed inside CDATA and an entity is referenced too. */
export type DtdPlacement = { readonly body: string; readonly payload: string; readonly useRef: boolean; readonly inCdata: boolean };

export function dtdPlacement(doc: string): fc.Arbitrary<DtdPlacement> {
  const payload = fc.constantFrom(
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
    '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE x SYSTEM "http://127.0.0.1:1/evil.dtd">',
    '<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:1/p.dtd"> %p;]>',
    '<!doctype x>',
    '<!ENTITY e "x">',
    '<!DocType soap-env:Envelope PUBLIC "-//x//EN" "x.dtd">',
  );
  return fc.tuple(payload, fc.nat(), fc.boolean()).map(([p, at, useRef]) => {
    const i = doc.length === 0 ? 0 : at % doc.length;
    const body = doc.slice(0, i) + p + doc.slice(i);
    return { body: useRef ? body.replace('qiang-vm', '&xxe;&lol2;') : body, payload: p, useRef, inCdata: insideCdata(body, i) };
  });
}

export function dtdPayload(doc: string): fc.Arbitrary<string> {
  return dtdPlacement(doc).map((p) => p.body);
}

/** True when `at` falls inside a CDATA section of `body` (between `<![CDATA[` and its `]]>`), where markup is text. */
export function insideCdata(body: string, at: number): boolean {
  for (let open = body.indexOf('<![CDATA['); open >= 0 && open < at; open = body.indexOf('<![CDATA[', open + 1)) {
    const close = body.indexOf(']]>', open + 9);
    if (close < 0) return false;
    if (at >= open + 9 && at + 1 <= close) return true;
    open = close;
  }
  return false;
}
