/**
 * Long element text read outside the XML parser. A device's attachment can be 3 MiB of `show` output, and
 * @rgrove/parse-xml reads escaped text one reference at a time (about 45 ms of CPU for 3 MiB with three
 * references a line) and switches its scanner to a per-character byte map for a whole document that holds
 * one character beyond U+FFFF (about 4× slower). So each long run of element content — character data,
 * references and CDATA sections, no markup — is cut out of the body and replaced by a token, the rest is
 * parsed as usual, and each run is decoded here into the token's text node (about 15 ms for the same 3 MiB).
 *
 * The parser stays the judge of structure: a run is used only when the parser reads its token as a whole text
 * node of an element (so the cut was element content, not a comment, attribute or CDATA section), and only
 * when it is made of what this decoder reads exactly as the parser does. Anything else (a `<` that is not a
 * CDATA section, an unknown or malformed reference, a character XML forbids, `]]>` in text) falls back to the
 * whole parse, which refuses it or reads it leniently as before. Line breaks are normalized by the caller
 * before (XML 1.0 §2.11), so a run holds none to normalize. `test/callhome/xml-long-text.test.ts` compares
 * both paths on random content.
 */
import { XmlElement, XmlText, type XmlNode } from '@rgrove/parse-xml';

/** Runs of element content this long (UTF-16 units) are decoded here; below it the parser's cost is small. */
export const LONG_TEXT_CHARS = 32 * 1024;

const TOKEN_PREFIX = 'callhome-long-text-';
const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';

/** The body with its long runs replaced by tokens, and each token's run of the original body. */
export type SplicedBody = { readonly body: string; readonly runs: ReadonlyMap<string, string> };

/**
 * Cuts each run of element content of at least `minChars` out of the body: from the end of a tag to the next
 * `<` that does not open a CDATA section. A guess from the characters alone; the parse checks it. Null when
 * there is none (or the body already holds the token text).
 */
export function spliceLongTexts(body: string, minChars = LONG_TEXT_CHARS): SplicedBody | null {
  if (!(body.length >= minChars) || body.includes(TOKEN_PREFIX)) return null;
  const runs = new Map<string, string>();
  const kept: string[] = [];
  let copied = 0;
  for (let markup = body.indexOf('<'); markup >= 0; ) {
    const start = body.indexOf('>', markup) + 1;
    if (start === 0) break;
    let end = body.indexOf('<', start);
    while (end >= 0 && body.startsWith(CDATA_OPEN, end)) {
      const close = body.indexOf(CDATA_CLOSE, end + CDATA_OPEN.length);
      end = close < 0 ? -1 : body.indexOf('<', close + CDATA_CLOSE.length);
    }
    if (end < 0) break;
    if (end - start >= minChars) {
      const token = `${TOKEN_PREFIX}${runs.size}`;
      runs.set(token, body.slice(start, end));
      kept.push(body.slice(copied, start), token);
      copied = end;
    }
    markup = end;
  }
  if (runs.size === 0) return null;
  kept.push(body.slice(copied));
  return { body: kept.join(''), runs };
}

/**
 * Puts each run's decoded text where the parser read its token. False (the caller parses the whole body
 * instead) when a token is not exactly one whole text node, or a run is not content this decoder reads.
 */
export function restoreLongTexts(root: XmlElement, runs: ReadonlyMap<string, string>): boolean {
  const found = new Map<string, XmlText>();
  const stack: XmlElement[] = [root];
  for (let element = stack.pop(); element; element = stack.pop()) {
    for (const node of element.children as readonly XmlNode[]) {
      if (node instanceof XmlElement) stack.push(node);
      else if (node instanceof XmlText && node.text.includes(TOKEN_PREFIX)) {
        if (!runs.has(node.text) || found.has(node.text)) return false;
        found.set(node.text, node);
      }
    }
  }
  if (found.size !== runs.size) return false;
  const decoded: [XmlText, string][] = [];
  for (const [token, run] of runs) {
    const text = decodeContent(run);
    const node = found.get(token);
    if (text === null || !node) return false;
    decoded.push([node, text]);
  }
  for (const [node, text] of decoded) node.text = text;
  return true;
}

/** A character XML 1.0 does not allow (a lone surrogate included); the parser refuses it. */
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** The five predefined entities, the only ones a body without a DTD has (the codec refuses DTDs). */
const PREDEFINED: readonly (readonly [string, string])[] = [
  ['&lt;', '<'],
  ['&gt;', '>'],
  ['&amp;', '&'],
  ['&quot;', '"'],
  ['&apos;', "'"],
];
/** The longest reference read here: `&#x10FFFF;` with leading zeros to spare. */
const MAX_REFERENCE = 16;

/** Element content without markup, decoded as the parser decodes it; null for anything it would not read so. */
export function decodeContent(content: string): string | null {
  let out = '';
  let at = 0;
  for (let open = content.indexOf(CDATA_OPEN); open >= 0; open = content.indexOf(CDATA_OPEN, at)) {
    const text = characterData(content.slice(at, open));
    const close = content.indexOf(CDATA_CLOSE, open + CDATA_OPEN.length);
    if (text === null || close < 0) return null;
    const cdata = content.slice(open + CDATA_OPEN.length, close);
    if (NOT_XML_CHAR.test(cdata)) return null;
    out += text + cdata;
    at = close + CDATA_CLOSE.length;
  }
  const rest = characterData(content.slice(at));
  return rest === null ? null : out + rest;
}

/** Character data and references (no markup): its text, or null. */
function characterData(data: string): string | null {
  if (data.includes('<') || data.includes(CDATA_CLOSE) || NOT_XML_CHAR.test(data)) return null;
  let out = '';
  let at = 0;
  for (let amp = data.indexOf('&'); amp >= 0; amp = data.indexOf('&', at)) {
    const predefined = PREDEFINED.find(([ref]) => data.startsWith(ref, amp));
    const semicolon = predefined ? amp + predefined[0].length - 1 : data.indexOf(';', amp);
    if (semicolon < 0 || semicolon - amp > MAX_REFERENCE) return null;
    const char = predefined ? predefined[1] : characterReference(data.slice(amp + 1, semicolon));
    if (char === null) return null;
    out += data.slice(at, amp) + char;
    at = semicolon + 1;
  }
  return out + data.slice(at);
}

/** A character reference's character (`#65`, `#x41`), where the parser reads it without complaint. */
function characterReference(name: string): string | null {
  const digits = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(name);
  if (!digits) return null;
  const code = digits[1] !== undefined ? Number.parseInt(digits[1], 16) : Number.parseInt(digits[2] ?? '', 10);
  return isXmlCodePoint(code) ? String.fromCodePoint(code) : null;
}

/** Whether XML 1.0 has a character for this code point (its production `Char`). */
export function isXmlCodePoint(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}
