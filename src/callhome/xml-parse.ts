/**
 * Reads a Call Home XML message (SOAP 1.2 envelope + AML blocks, ios-call-home.md §6.5) into the
 * shared message model. Elements are matched on namespace URI + local name, so any prefixes work.
 *
 * Safety: a DOCTYPE or ENTITY declaration is refused (outside CDATA, where it is only text), so no
 * entity but the five predefined ones and character references can exist; nothing is fetched.
 * Work is proportional to the body: saxes reads it in one pass, namespace scopes are one stack per
 * prefix (a declaration is pushed and popped, never copied into each element), only elements in the
 * Call Home namespaces under the envelope are kept, and caps on depth, attributes per element and kept
 * elements, plus a deadline checked between slices of the body, bound what one body can cost.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { MESSAGE_KINDS } from '../domain/callhome.js';
import type { Attachment, CallHomeMessage, Card } from '../domain/message.js';
import { err, ok, type Result } from '../util/result.js';
import { clampSeverity, eventNameOf, messageKindOf, oneLine, wellFormed } from './fields.js';
import { CALL_HOME_NAMESPACES } from './namespaces.js';
import type { ParseRefusal } from './refusal.js';

const NS = {
  soap: CALL_HOME_NAMESPACES.soapEnv,
  session: CALL_HOME_NAMESPACES.amlSession,
  block: CALL_HOME_NAMESPACES.amlBlock,
  ch: CALL_HOME_NAMESPACES.ch,
  rme: CALL_HOME_NAMESPACES.rme,
} as const;
const KEPT_NAMESPACES: ReadonlySet<string> = new Set(Object.values(NS));

/** Bounds on one parse. A Call Home document is about ten elements deep, with a few attributes each. */
export const XML_LIMITS = {
  /** Elements open at once. */
  maxDepth: 64,
  /** Attributes (namespace declarations included) on one element. */
  maxAttributes: 256,
  /** Call Home elements kept for reading (a large chassis inventory has a few thousand). */
  maxKeptElements: 100_000,
  /** Wall-clock budget of one parse; checked between slices, so it overruns by at most one slice. */
  deadlineMs: 5_000,
  /** Characters fed to the tokenizer between two deadline checks. */
  sliceChars: 64 * 1024,
} as const;

export type XmlParseOptions = {
  /** Overrides XML_LIMITS.deadlineMs. */
  readonly deadlineMs?: number;
};

/** One kept element with its namespace resolved. */
type XNode = {
  readonly ns: string;
  readonly local: string;
  readonly attrs: Readonly<Record<string, string>>;
  text: string;
  readonly children: XNode[];
};

/** Thrown from the tokenizer's handlers to stop a parse with a refusal. */
class Stop {
  constructor(readonly refusal: ParseRefusal) {}
}

/** saxes errors that are about characters, not structure: kept lenient, as devices send them. */
const CHARACTER_ERRORS = new Set(['disallowed character.', 'malformed character entity.']);

const tooComplex = (what: string): Stop => new Stop({ kind: 'too-complex', reason: `The XML is refused: ${what}. A Call Home message is far below these limits.` });

/** The first DOCTYPE or ENTITY declaration outside CDATA sections, or -1. Linear: a CDATA section is skipped whole. */
function dtdOffset(body: string): number {
  const markup = /<!\[CDATA\[|<!DOCTYPE|<!ENTITY/gi;
  for (let m = markup.exec(body); m; m = markup.exec(body)) {
    if (m[0] !== '<![CDATA[') return m.index;
    const end = body.indexOf(']]>', markup.lastIndex);
    // An unterminated section protects nothing: the rest is searched as markup.
    if (end < 0) return body.slice(markup.lastIndex).search(/<!DOCTYPE|<!ENTITY/i) < 0 ? -1 : markup.lastIndex;
    markup.lastIndex = end + 3;
  }
  return -1;
}

/**
 * Tokenizes the body and keeps the Call Home elements under the envelope. Positions cost about half
 * the tokenizing time, so they are tracked only when a malformed body is read again for its reason.
 */
function readTree(body: string, deadlineMs: number, position: boolean): Result<XNode | null, ParseRefusal> {
  const started = performance.now();
  const parser = new SaxesParser<{ xmlns: false; position: boolean }>({ xmlns: false, position });
  // A character reference XML has no character for (a lone surrogate, U+0000) reads as U+FFFD, as a
  // lone surrogate in raw text does, instead of failing the message (parseEntity is saxes' own hook).
  const entities = parser as unknown as { parseEntity(entity: string): string };
  const parseEntity = entities.parseEntity.bind(parser);
  entities.parseEntity = (entity) => (entity.charCodeAt(0) === 0x23 ? charRef(entity) ?? parseEntity(entity) : parseEntity(entity));
  /** Per prefix, the URIs in scope, innermost last. */
  const scopes = new Map<string, string[]>();
  /** Per open element: the node kept for it (null when skipped) and the prefixes it declared. */
  const open: { node: XNode | null; declared: string[] | null }[] = [];
  let root: XNode | null = null;
  let kept = 0;
  let attributes = 0;
  parser.on('opentagstart', () => {
    if (open.length >= XML_LIMITS.maxDepth) throw tooComplex(`elements are nested more than ${XML_LIMITS.maxDepth} deep`);
    attributes = 0;
  });
  parser.on('attribute', () => {
    if (++attributes > XML_LIMITS.maxAttributes) throw tooComplex(`an element has more than ${XML_LIMITS.maxAttributes} attributes`);
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    let declared: string[] | null = null;
    const attrs: Record<string, string> = {};
    for (const [name, value] of Object.entries(tag.attributes)) {
      const prefix = name === 'xmlns' ? '' : name.startsWith('xmlns:') ? name.slice(6) : null;
      if (prefix === null) {
        attrs[name.includes(':') ? name.slice(name.indexOf(':') + 1) : name] = value;
        continue;
      }
      let stack = scopes.get(prefix);
      if (!stack) scopes.set(prefix, (stack = []));
      stack.push(value.trim());
      (declared ??= []).push(prefix);
    }
    const colon = tag.name.indexOf(':');
    const prefix = colon >= 0 ? tag.name.slice(0, colon) : '';
    const stack = scopes.get(prefix);
    const ns = stack?.[stack.length - 1] ?? '';
    const parent = open[open.length - 1];
    const keep = KEPT_NAMESPACES.has(ns) && (parent ? parent.node !== null : true);
    let node: XNode | null = null;
    if (keep) {
      if (++kept > XML_LIMITS.maxKeptElements) throw tooComplex(`it has more than ${XML_LIMITS.maxKeptElements} Call Home elements`);
      node = { ns, local: colon >= 0 ? tag.name.slice(colon + 1) : tag.name, attrs, text: '', children: [] };
      if (parent?.node) parent.node.children.push(node);
      else root ??= node;
    }
    open.push({ node, declared });
  });
  parser.on('closetag', () => {
    const closed = open.pop();
    for (const prefix of closed?.declared ?? []) scopes.get(prefix)?.pop();
  });
  const addText = (text: string): void => {
    const node = open[open.length - 1]?.node;
    if (node) node.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('doctype', () => {
    throw new Stop(forbiddenDtd);
  });
  parser.on('error', (e: Error) => {
    const message = e.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
    if (CHARACTER_ERRORS.has(message)) return;
    // Keep the check's words, not the body's: names after a colon are the sender's text.
    const words = message.replace(/:.*$/, '').replace(/\.$/, '');
    const where = position ? ` (line ${parser.line}, column ${parser.column})` : '';
    throw new Stop({ kind: 'not-xml', reason: `The body is not well-formed XML: ${words}${where}.` });
  });
  try {
    for (let at = 0; at < body.length; at += XML_LIMITS.sliceChars) {
      parser.write(body.slice(at, at + XML_LIMITS.sliceChars));
      if (performance.now() - started > deadlineMs) throw tooComplex(`reading it took longer than ${deadlineMs} ms`);
    }
    parser.close();
  } catch (e) {
    if (e instanceof Stop) return err(e.refusal);
    throw e;
  }
  return ok(root);
}

/** A character reference's character; U+FFFD where XML has none (a surrogate, U+0000, beyond U+10FFFF); null when malformed. */
function charRef(entity: string): string | null {
  const hex = entity.charCodeAt(1) === 0x78;
  const digits = entity.slice(hex ? 2 : 1);
  if (!(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) return null;
  const code = Number.parseInt(digits, hex ? 16 : 10);
  const isChar = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
  return isChar ? String.fromCodePoint(code) : '\ufffd';
}

const forbiddenDtd: ParseRefusal = { kind: 'forbidden-dtd', reason: 'The message contains a DOCTYPE or ENTITY declaration, which is refused (no DTDs or entities are processed). Send the Call Home XML without a DOCTYPE.' };

function child(node: XNode | undefined, ns: string, local: string): XNode | undefined {
  return node?.children.find((c) => c.ns === ns && c.local === local);
}

function children(node: XNode | undefined, ns: string, local: string): XNode[] {
  return node ? node.children.filter((c) => c.ns === ns && c.local === local) : [];
}

function path(node: XNode | undefined, ...steps: readonly (readonly [string, string])[]): XNode | undefined {
  let cur = node;
  for (const [ns, local] of steps) cur = child(cur, ns, local);
  return cur;
}

function txt(node: XNode | undefined): string {
  return node ? node.text.trim() : '';
}

/** Quick check that a body looks like XML, so e-mail can choose the XML or text reader. */
export function looksLikeXml(body: string): boolean {
  return /^\s*(<\?xml|<[A-Za-z_])/.test(body);
}

/** Parses one Call Home XML document. Refusals say which check failed, never what the body held. */
export function parseXml(input: string, options: XmlParseOptions = {}): Result<CallHomeMessage, ParseRefusal> {
  const body = wellFormed(input);
  if (dtdOffset(body) >= 0) return err(forbiddenDtd);
  const deadlineMs = options.deadlineMs ?? XML_LIMITS.deadlineMs;
  const started = performance.now();
  let tree = readTree(body, deadlineMs, false);
  if (!tree.ok && tree.error.kind === 'not-xml') tree = readTree(body, Math.max(0, deadlineMs - (performance.now() - started)), true);
  if (!tree.ok) return tree;
  const envelope = tree.value;
  if (envelope?.ns !== NS.soap || envelope.local !== 'Envelope') {
    return err({ kind: 'not-call-home', reason: `The document is not a Call Home message: the root is not a SOAP 1.2 Envelope (${NS.soap}).` });
  }
  const session = path(envelope, [NS.soap, 'Header'], [NS.session, 'Session']);
  const block = path(envelope, [NS.soap, 'Body'], [NS.block, 'Block']);
  const header = child(block, NS.block, 'Header');
  const callHome = path(block, [NS.block, 'Content'], [NS.ch, 'CallHome']);
  if (!session || !block || !header || !callHome) {
    return err({ kind: 'not-call-home', reason: 'The envelope is not a Call Home message: it needs aml-session:Session in the header and aml-block:Block with aml-block:Header and aml-block:Content/ch:CallHome in the body.' });
  }
  const event = child(callHome, NS.ch, 'Event');
  const typeText = txt(child(event, NS.ch, 'Type')) || txt(child(header, NS.block, 'Type')).split('/').pop() || '';
  const kind = messageKindOf(typeText);
  if (!kind) {
    return err({ kind: 'not-call-home', reason: `The Call Home message type "${typeText}" is not supported (ch:Event/ch:Type must be one of ${MESSAGE_KINDS.join(', ')}).` });
  }
  const customer = child(callHome, NS.ch, 'CustomerData');
  const contract = child(customer, NS.ch, 'ContractData');
  const system = child(customer, NS.ch, 'SystemInfo');
  const chassis = path(callHome, [NS.ch, 'Device'], [NS.rme, 'Chassis']);
  const ad = new Map<string, string>();
  for (const a of children(child(chassis, NS.rme, 'AdditionalInformation'), NS.rme, 'AD')) {
    const name = a.attrs['name'];
    if (name !== undefined) ad.set(name, oneLine(a.attrs['value'] ?? ''));
  }
  const deviceId = txt(child(contract, NS.ch, 'DeviceId'));
  const serial = txt(child(chassis, NS.rme, 'SerialNumber')) || (deviceId.split('@')[2] ?? '');
  if (!serial) {
    return err({ kind: 'no-serial', reason: 'The Call Home message carries no chassis serial number (rme:Chassis/rme:SerialNumber or ch:DeviceId), so it cannot be tied to a device.' });
  }
  const cards: Card[] = children(chassis, NS.rme, 'Card').map((c) => ({
    model: txt(child(c, NS.rme, 'Model')),
    serialNumber: txt(child(c, NS.rme, 'SerialNumber')),
    partNumber: txt(child(c, NS.rme, 'PartNumber')),
    location: txt(child(c, NS.rme, 'LocationWithinContainer')),
    hardwareVersion: txt(child(c, NS.rme, 'HardwareVersion')),
    softwareVersion: txt(path(c, [NS.rme, 'SoftwareIdentity'], [NS.rme, 'VersionString'])),
  }));
  const attachments: Attachment[] = children(child(block, NS.block, 'Attachments'), NS.block, 'Attachment').map((a) => ({
    name: txt(child(a, NS.block, 'Name')),
    data: (child(a, NS.block, 'Data')?.text ?? '').replace(/^[ \t]+/, ''),
  }));
  const builder = child(header, NS.block, 'Builder');
  const description = oneLine(txt(child(callHome, NS.ch, 'MessageDescription')));
  const serviceNumber = ad.get('ServiceNumber') ?? '';
  return ok({
    messageId: txt(child(session, NS.session, 'MessageId')),
    groupId: txt(path(header, [NS.block, 'BlockGroup'], [NS.block, 'GroupId'])),
    kind,
    subType: txt(child(event, NS.ch, 'SubType')),
    severity: clampSeverity(txt(child(header, NS.block, 'Severity'))),
    eventName: eventNameOf(kind, description, txt(child(event, NS.ch, 'Name'))),
    eventTime: txt(child(callHome, NS.ch, 'EventTime')) || txt(child(header, NS.block, 'CreationDate')),
    description,
    to: txt(child(session, NS.session, 'To')),
    brand: txt(child(event, NS.ch, 'Brand')),
    series: oneLine(txt(child(event, NS.ch, 'Series'))),
    hostname: txt(child(system, NS.ch, 'Name')),
    contactName: txt(child(system, NS.ch, 'Contact')),
    contactEmail: txt(child(system, NS.ch, 'ContactEmail')) || txt(path(customer, [NS.ch, 'UserData'], [NS.ch, 'Email'])),
    phoneNumber: txt(child(system, NS.ch, 'ContactPhoneNumber')),
    streetAddress: oneLine(txt(child(system, NS.ch, 'StreetAddress'))),
    customerId: txt(child(contract, NS.ch, 'CustomerId')),
    siteId: txt(child(contract, NS.ch, 'SiteId')),
    contractId: txt(child(contract, NS.ch, 'ContractId')),
    deviceId,
    ccoId: txt(child(customer, NS.ch, 'CCOID')),
    idToken: txt(child(customer, NS.ch, 'IdToken')),
    model: txt(child(chassis, NS.rme, 'Model')),
    hardwareVersion: txt(child(chassis, NS.rme, 'HardwareVersion')),
    serialNumber: serial,
    partNumber: ad.get('PartNumber') ?? '',
    softwareVersion: ad.get('SoftwareVersion') ?? '',
    systemObjectId: ad.get('SystemObjectId') ?? '',
    systemDescription: ad.get('SystemDescription') ?? '',
    builderName: txt(child(builder, NS.block, 'Name')),
    builderVersion: txt(child(builder, NS.block, 'Version')),
    profileName: '',
    ...(serviceNumber ? { serviceRequest: serviceNumber } : {}),
    ...(ad.get('ForwardAddress') ? { forwardAddress: ad.get('ForwardAddress') ?? '' } : {}),
    cards,
    attachments,
  });
}
