/**
 * Reads a Call Home XML message (SOAP 1.2 envelope + AML blocks, ios-call-home.md §6.5) into the
 * shared message model. Elements are matched on namespace URI + local name, so any prefixes work.
 *
 * Safety: a DOCTYPE or ENTITY declaration is refused (outside CDATA, where it is only text), so no
 * entity but the five predefined ones and character references can exist (the parser refuses any other
 * reference as undefined); nothing is fetched. Work is proportional to the body: @rgrove/parse-xml
 * checks well-formedness and builds the document in one pass (about 3× faster than saxes on a 10 KB
 * message, `npm run bench:xml`), then one walk resolves namespaces with one stack per prefix (a
 * declaration is pushed and popped, never copied into each element), keeps only the elements in the
 * Call Home namespaces under the envelope, and applies the caps on depth, attributes per element and
 * kept elements. The parse itself cannot be stopped part-way: the deadline is checked after it and
 * during the walk (the worst 3 MiB shape costs about 1.4 s of CPU on an idle core), and the parse
 * pool's hard deadline replaces a thread that overruns it. Characters XML forbids but devices send (control
 * characters in syslog text) are kept as sent. Line breaks are normalized once before parsing, and long element
 * text (a 3 MiB attachment) is decoded beside the parser, which checks where it was cut (xml-long-text.ts).
 */
import { XmlElement, XmlError, XmlText, parseXml as parseDocument, type XmlNode } from '@rgrove/parse-xml';
import { MESSAGE_KINDS } from '../domain/callhome.js';
import type { Attachment, CallHomeMessage, Card } from '../domain/message.js';
import { err, ok, type Result } from '../util/result.js';
import { clampSeverity, eventNameOf, messageKindOf, oneLine, wellFormed } from './fields.js';
import { CALL_HOME_NAMESPACES } from './namespaces.js';
import type { ParseRefusal } from './refusal.js';
import { isXmlCodePoint, LONG_TEXT_CHARS, restoreLongTexts, spliceLongTexts } from './xml-long-text.js';

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
  /** Wall-clock budget of one parse; checked after the tokenizer and every few thousand elements of the walk. */
  deadlineMs: 5_000,
} as const;

export type XmlParseOptions = {
  /** Overrides XML_LIMITS.deadlineMs. */
  readonly deadlineMs?: number;
  /** Overrides LONG_TEXT_CHARS (xml-long-text.ts), so that tests compare both readings of short texts; Infinity: none. */
  readonly longTextChars?: number;
};

/** One kept element with its namespace resolved. */
type XNode = {
  readonly ns: string;
  readonly local: string;
  readonly attrs: Readonly<Record<string, string>>;
  text: string;
  readonly children: XNode[];
};

/** Thrown from the walk to stop a parse with a refusal. */
class Stop {
  constructor(readonly refusal: ParseRefusal) {}
}

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
 * Characters XML 1.0 forbids even escaped, which devices put in syslog text (ESC, BEL, …), plus the mark
 * that {@link keepCharacters} escapes them with.
 */
const KEPT_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uE000]/g;
/** A private-use character: the parser accepts it, and a forbidden character travels behind it. */
const MARK = '\uE000';
const MARKED = /\uE000([\s\S])/g;
/** A character reference as the tokenizer reads one (`&#` and name characters up to `;`). */
const CHAR_REF = /&#([0-9A-Za-z_.-]*);/g;
/** The parser's errors about characters rather than structure: devices send them, so they are read leniently. */
const CHARACTER_ERRORS = /^(Invalid character|Character reference resolves to an invalid character|Invalid character reference)\b/;

/** A character reference's character; U+FFFD where XML has none (a surrogate, U+0000, beyond U+10FFFF); null when malformed. */
function charRef(digits: string): string | null {
  const hex = digits.charCodeAt(0) === 0x78;
  const number = hex ? digits.slice(1) : digits;
  if (!(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(number)) return null;
  const code = Number.parseInt(number, hex ? 16 : 10);
  return isXmlCodePoint(code) ? String.fromCodePoint(code) : '\ufffd';
}

/**
 * The body with its character faults made readable, for a second parse after the parser refused a
 * character, as the codec read them before: a forbidden raw character (in CDATA too) is kept — escaped
 * reversibly here as MARK + a private-use character (a MARK already in the body as MARK + MARK), and
 * restored by {@link restoreCharacters} in the text read — a reference to a code point XML has no
 * character for reads as U+FFFD, and a malformed reference (`&#xZZ;`) is text. Only bodies with such
 * faults pay for this.
 */
function keepCharacters(body: string): string {
  return body
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part, i) => {
      const kept = part.replace(KEPT_CHARS, (c) => (c === MARK ? MARK + MARK : MARK + String.fromCharCode(0xe100 + (c.charCodeAt(0) & 0xff))));
      if (i % 2 === 1) return kept;
      return kept.replace(CHAR_REF, (ref, digits: string) => {
        const char = charRef(digits);
        return char === null ? `&amp;${ref.slice(1)}` : char === '\ufffd' ? '&#xFFFD;' : ref;
      });
    })
    .join('');
}

/** Undoes {@link keepCharacters} in a text or attribute value read from the document. */
function restoreCharacters(text: string): string {
  if (!text.includes(MARK)) return text;
  return text.replace(MARKED, (_, c: string) => {
    if (c === MARK) return MARK;
    const low = c.charCodeAt(0) - 0xe100;
    return low >= 0xfe ? String.fromCharCode(0xff00 + low) : String.fromCharCode(low);
  });
}

/** The parser's refusal in its own words, without the excerpt of the body it quotes (nor names after a colon). */
function notXml(e: XmlError): ParseRefusal {
  const words = (e.message.split('\n')[0] ?? '').replace(/ \(line \d+, column \d+\)$/, '').replace(/:.*$/, '').replace(/\.$/, '');
  return { kind: 'not-xml', reason: `The body is not well-formed XML: ${words} (line ${e.line}, column ${e.column}).` };
}

/**
 * Tokenizes the body into a document; a body whose only faults are characters is read again with them
 * kept ({@link keepCharacters}); `restore` then gives them back in what is read.
 */
function tokenize(body: string, longTextChars: number): Result<{ root: XmlElement | null; restore: (text: string) => string }, ParseRefusal> {
  let text = body;
  for (let attempt = 0; ; attempt++) {
    const restore = attempt === 0 ? (t: string) => t : restoreCharacters;
    const root = withLongTexts(text, longTextChars);
    if (root) return ok({ root, restore });
    try {
      return ok({ root: parseDocument(text).root, restore });
    } catch (e) {
      // The parser descends once per element: a body nested deeper than the stack is refused as too deep.
      if (e instanceof RangeError) return err(tooComplex(`elements are nested more than ${XML_LIMITS.maxDepth} deep`).refusal);
      if (!(e instanceof XmlError)) throw e;
      if (attempt > 0 || !CHARACTER_ERRORS.test(e.message)) return err(notXml(e));
      text = keepCharacters(body);
    }
  }
}

/** The document read with its long texts decoded beside the parser (xml-long-text.ts), or null: parse it whole. */
function withLongTexts(text: string, longTextChars: number): XmlElement | null {
  const spliced = spliceLongTexts(text, longTextChars);
  if (!spliced) return null;
  try {
    const { root } = parseDocument(spliced.body);
    return root && restoreLongTexts(root, spliced.runs) ? root : null;
  } catch {
    // Whatever the spliced body's parse says, the whole body's parse says it of the body itself.
    return null;
  }
}

/** Walks the document, resolving namespaces and keeping the Call Home elements under the envelope. */
function keptTree(root: XmlElement, restore: (text: string) => string, started: number, deadlineMs: number): Result<XNode | null, ParseRefusal> {
  /** Per prefix, the URIs in scope, innermost last. */
  const scopes = new Map<string, string[]>();
  let kept = 0;
  let visited = 0;
  const visit = (element: XmlElement, parent: XNode | null, parentKept: boolean, depth: number): XNode | null => {
    if (depth > XML_LIMITS.maxDepth) throw tooComplex(`elements are nested more than ${XML_LIMITS.maxDepth} deep`);
    if (++visited % 4096 === 0 && performance.now() - started > deadlineMs) throw tooComplex(`reading it took longer than ${deadlineMs} ms`);
    const names = Object.keys(element.attributes);
    if (names.length > XML_LIMITS.maxAttributes) throw tooComplex(`an element has more than ${XML_LIMITS.maxAttributes} attributes`);
    let declared: string[] | null = null;
    const attrs: Record<string, string> = {};
    for (const name of names) {
      const value = element.attributes[name] ?? '';
      const prefix = name === 'xmlns' ? '' : name.startsWith('xmlns:') ? name.slice(6) : null;
      if (prefix === null) {
        attrs[name.includes(':') ? name.slice(name.indexOf(':') + 1) : name] = restore(value);
        continue;
      }
      let stack = scopes.get(prefix);
      if (!stack) scopes.set(prefix, (stack = []));
      stack.push(value.trim());
      (declared ??= []).push(prefix);
    }
    const colon = element.name.indexOf(':');
    const stack = scopes.get(colon >= 0 ? element.name.slice(0, colon) : '');
    const ns = stack?.[stack.length - 1] ?? '';
    let node: XNode | null = null;
    if (KEPT_NAMESPACES.has(ns) && parentKept) {
      if (++kept > XML_LIMITS.maxKeptElements) throw tooComplex(`it has more than ${XML_LIMITS.maxKeptElements} Call Home elements`);
      node = { ns, local: colon >= 0 ? element.name.slice(colon + 1) : element.name, attrs, text: '', children: [] };
      parent?.children.push(node);
    }
    for (const c of element.children as readonly XmlNode[]) {
      if (c instanceof XmlElement) visit(c, node, node !== null, depth + 1);
      // XmlCdata is an XmlText: CDATA is kept as text.
      else if (node && c instanceof XmlText) node.text += c.text;
    }
    if (node) node.text = restore(node.text);
    for (const prefix of declared ?? []) scopes.get(prefix)?.pop();
    return node;
  };
  try {
    return ok(visit(root, null, true, 1));
  } catch (e) {
    if (e instanceof Stop) return err(e.refusal);
    throw e;
  }
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

/**
 * CR LF and a lone CR as LF, as XML 1.0 §2.11 has a processor do before parsing (a `&#13;` reference stays a CR).
 * The parser does it per text node, by copying the rest of the text at each CR: quadratic in a long text, 3 MiB
 * of CDATA with CR LF line ends ran past the 5 s deadline. Done once here, its pass finds no CR to copy.
 */
function normalizedLineBreaks(body: string): string {
  return body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body;
}

/** Quick check that a body looks like XML, so e-mail can choose the XML or text reader. */
export function looksLikeXml(body: string): boolean {
  return /^\s*(<\?xml|<[A-Za-z_])/.test(body);
}

/** Parses one Call Home XML document. Refusals say which check failed, never what the body held. */
export function parseXml(input: string, options: XmlParseOptions = {}): Result<CallHomeMessage, ParseRefusal> {
  const body = normalizedLineBreaks(wellFormed(input));
  if (dtdOffset(body) >= 0) return err(forbiddenDtd);
  const deadlineMs = options.deadlineMs ?? XML_LIMITS.deadlineMs;
  const started = performance.now();
  const document = tokenize(body, options.longTextChars ?? LONG_TEXT_CHARS);
  if (!document.ok) return document;
  if (performance.now() - started > deadlineMs) return err(tooComplex(`reading it took longer than ${deadlineMs} ms`).refusal);
  const { root, restore } = document.value;
  const tree = root ? keptTree(root, restore, started, deadlineMs) : ok(null);
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
