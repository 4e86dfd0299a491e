/**
 * Reads a Call Home XML message (SOAP 1.2 envelope + AML blocks, ios-call-home.md §6.5) into the
 * shared message model. Elements are matched on namespace URI + local name, so any prefixes work.
 * Safety: any DOCTYPE is refused before parsing (no internal or external entities can exist), and
 * fast-xml-parser runs with entity processing off.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
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

/** One element with its namespace resolved. */
type XNode = {
  readonly ns: string;
  readonly local: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly text: string;
  readonly children: readonly XNode[];
};

const CDATA = '#cdata';
const TEXT = '#text';
const ATTRS = ':@';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: CDATA,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // An attachment's Data is read raw (up to its end tag) instead of character by character: 3 MiB
  // of escaped show output took about 650 ms to parse that way, holding the event loop; raw, 11 ms.
  // IOS writes the aml-block prefix; other prefixes still parse, only slower.
  stopNodes: ['*.aml-block:Data', '*.Data'],
});

type Ordered = Record<string, unknown>;

function isRecord(v: unknown): v is Ordered {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toNodes(list: unknown, scope: ReadonlyMap<string, string>): XNode[] {
  if (!Array.isArray(list)) return [];
  const out: XNode[] = [];
  for (const item of list) {
    if (!isRecord(item)) continue;
    const name = Object.keys(item).find((k) => k !== ATTRS && k !== TEXT && k !== CDATA);
    if (name === undefined) continue;
    const rawAttrs = item[ATTRS];
    const attrs: Record<string, string> = {};
    const local = new Map(scope);
    if (isRecord(rawAttrs)) {
      for (const [k, v] of Object.entries(rawAttrs)) {
        const value = typeof v === 'string' ? decodeXmlEntities(v) : String(v);
        if (k === 'xmlns') local.set('', value);
        else if (k.startsWith('xmlns:')) local.set(k.slice(6), value);
        else attrs[k.includes(':') ? k.slice(k.indexOf(':') + 1) : k] = value;
      }
    }
    const colon = name.indexOf(':');
    const prefix = colon >= 0 ? name.slice(0, colon) : '';
    const content = item[name];
    let text = '';
    if (Array.isArray(content)) {
      for (const part of content) {
        if (!isRecord(part)) continue;
        if (typeof part[TEXT] === 'string') text += decodeRawText(part[TEXT]);
        const cdata = part[CDATA];
        if (Array.isArray(cdata)) {
          for (const c of cdata) if (isRecord(c) && typeof c[TEXT] === 'string') text += c[TEXT];
        }
      }
    }
    out.push({
      ns: local.get(prefix) ?? '',
      local: colon >= 0 ? name.slice(colon + 1) : name,
      attrs,
      text,
      children: toNodes(content, local),
    });
  }
  return out;
}

/**
 * Text as the parser hands it over. Only a raw (stop node) text holds markup: its CDATA sections are
 * kept as they are and the text around them is decoded; any other markup stays literal text.
 */
function decodeRawText(s: string): string {
  if (!s.includes('<')) return decodeXmlEntities(s);
  return s.replace(/<!\[CDATA\[([\s\S]*?)\]\]>|[^<]+|</g, (segment, cdata: string | undefined) => (cdata !== undefined ? cdata : decodeXmlEntities(segment)));
}

/** The five predefined XML entities and character references; nothing else can be defined. */
function decodeXmlEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    switch (e) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default: {
        const code = e.startsWith('#x') ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
        // XML has no characters for surrogate code points; a lone one would break URLs and JSON later.
        return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '';
      }
    }
  });
}

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

/** Parses one Call Home XML document. Refusals say which check failed. */
export function parseXml(input: string): Result<CallHomeMessage, ParseRefusal> {
  const body = wellFormed(input);
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) {
    return err({ kind: 'forbidden-dtd', reason: 'The message contains a DOCTYPE or ENTITY declaration, which is refused (no DTDs or entities are processed). Send the Call Home XML without a DOCTYPE.' });
  }
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    return err({ kind: 'not-xml', reason: `The body is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col}).` });
  }
  let roots: XNode[];
  try {
    roots = toNodes(parser.parse(body), new Map());
  } catch (e) {
    return err({ kind: 'not-xml', reason: `The body is not well-formed XML: ${e instanceof Error ? e.message : String(e)}.` });
  }
  const envelope = roots.find((n) => n.ns === NS.soap && n.local === 'Envelope');
  if (!envelope) {
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
