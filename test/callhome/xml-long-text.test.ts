/**
 * Long element text decoded outside the parser (src/callhome/xml-long-text.ts) must read exactly as the parser
 * reads it: the decoder against @rgrove/parse-xml on random content, the whole codec with the cut taken at any
 * length against the codec without it, cuts in places that are not element content, and the two shapes that
 * were slow or refused (3 MiB of CDATA with CR LF line ends; a character beyond U+FFFF in a long body).
 */
import { parseXml as parseDocument } from '@rgrove/parse-xml';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../src/callhome/codec.js';
import { decodeContent, restoreLongTexts, spliceLongTexts } from '../../src/callhome/xml-long-text.js';
import { sampleWith } from '../backend/helpers.js';

/** Pieces of element content a device or a fuzzer may send, the well-formed and the malformed. */
const piece = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '>', ']', '\n', '\t', '%', ';', '#', 'é', '中', '😀', '\uE000'), maxLength: 12 }) },
  { weight: 4, arbitrary: fc.constantFrom('&lt;', '&gt;', '&amp;', '&quot;', '&apos;', '&#65;', '&#x41;', '&#x1F600;', '&#13;', '&#0009;', '&#xe000;') },
  { weight: 1, arbitrary: fc.constantFrom('&#0;', '&#xD800;', '&#X41;', '&#x110000;', '&foo;', '&lt', '& ', '&#;', '&#x;', '&#000000000000000065;') },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom('x', ']', ']]', '<', '&', '>', '\n', '😀'), maxLength: 8 }).map((t) => `<![CDATA[${t}]]>`) },
  { weight: 1, arbitrary: fc.constantFrom(']]>', '<![CDATA[open', '\u0001', '\u001b[1m', '\uFFFE', '\uD800', '\r', '\r\n', '<b/>', '<!-- c -->', '<?pi x?>', '<', '</x>') },
);
const content = fc.array(piece, { maxLength: 24 }).map((pieces) => pieces.join(''));

describe('decodeContent', () => {
  it('reads element content as the parser does, or declines it', () => {
    let decoded = 0;
    let runs = 0;
    fc.assert(
      fc.property(content, (sent) => {
        runs += 1;
        // The codec hands over text whose line breaks are normalized (XML 1.0 §2.11); the parser does the same.
        const text = sent.replace(/\r\n?/g, '\n');
        const mine = decodeContent(text);
        if (mine === null) return;
        decoded += 1;
        expect(mine).toBe(parseDocument(`<a>${text}</a>`).root?.text);
      }),
      { numRuns: 3000 },
    );
    // The property is about the decoded ones: most random content must be decoded, not declined.
    expect(decoded / runs).toBeGreaterThan(0.2);
  });

  it('declines what the parser refuses or reads leniently', () => {
    for (const text of ['a &foo; b', 'a &lt b', 'a ]]> b', 'a <b/> c', 'bell \u0007', '&#0;', '&#xD800;', '<![CDATA[x', 'lone \uD800']) {
      expect(decodeContent(text), text).toBeNull();
    }
  });
});

/** The sample message with `data` as its attachment's content. */
function withData(data: string): string {
  return sampleWith({ serial: 'LONG0001' }).replace(/(<aml-block:Data[^>]*>)[\s\S]*?(<\/aml-block:Data>)/, (_, open: string, close: string) => `${open}${data}${close}`);
}

describe('the codec with long texts cut out', () => {
  it('reads every body as the whole parse does, cut at any length', () => {
    fc.assert(
      fc.property(content, content, fc.integer({ min: 1, max: 64 }), (data, description, cut) => {
        const body = withData(data).replace('<ch:MessageDescription>', `<ch:MessageDescription>${description}`);
        expect(parseXml(body, { longTextChars: cut })).toEqual(parseXml(body, { longTextChars: Infinity }));
      }),
      { numRuns: 1500 },
    );
  });

  it('takes the cut where it is element content, and reads the same', () => {
    // Text, references and CDATA sections, with markup-like text inside the sections.
    const data = '&lt;189&gt;%LINK-3-UPDOWN: down &amp; up 😀\n<![CDATA[<raw> & <b>x</b> ]]]>'.repeat(50);
    const body = withData(data);
    const spliced = spliceLongTexts(body, 1000);
    expect(spliced?.runs.size).toBe(1);
    const root = parseDocument(spliced?.body ?? '').root;
    expect(root && spliced && restoreLongTexts(root, spliced.runs)).toBe(true);
    const r = parseXml(body, { longTextChars: 1000 });
    expect(r.ok && r.value.attachments[0]?.data).toBe('<189>%LINK-3-UPDOWN: down & up 😀\n<raw> & <b>x</b> ]'.repeat(50));
    expect(r).toEqual(parseXml(body, { longTextChars: Infinity }));
  });

  it('does not take a cut that is a comment, an attribute value or a processing instruction', () => {
    const long = 'x &gt; y '.repeat(200);
    const bodies = {
      comment: withData(`<!-- a > ${long} -->kept`),
      unterminatedCdata: withData(`<![CDATA[<b>${long}</b>`),
      attribute: sampleWith({ serial: 'LONG0002' }).replace('<aml-block:Data encoding="plain">', `<aml-block:Data encoding="plain" note="a > ${long}">`),
      instruction: withData(`<?pi > ${long} ?>kept`),
      token: withData(`callhome-long-text-0 ${long}`),
    };
    for (const [name, body] of Object.entries(bodies)) {
      const spliced = spliceLongTexts(body, 1000);
      if (spliced) {
        let root = null;
        try {
          root = parseDocument(spliced.body).root;
        } catch {
          root = null;
        }
        expect(root !== null && restoreLongTexts(root, spliced.runs), name).toBe(false);
      }
      const r = parseXml(body, { longTextChars: 1000 });
      expect(r.ok, name).toBe(name !== 'unterminatedCdata');
      expect(r, name).toEqual(parseXml(body, { longTextChars: Infinity }));
    }
  });

  it('reads 3 MiB of CDATA with CR LF line ends (the parser alone ran past its 5 s deadline)', () => {
    const line = 'Interface GigabitEthernet0/1 is up, line protocol is up <ok> & fine\r\n';
    const data = line.repeat(Math.floor(3_000_000 / line.length));
    const r = parseXml(withData(`<![CDATA[${data}]]>`));
    expect(r.ok && r.value.attachments[0]?.data).toBe(data.replaceAll('\r\n', '\n'));
    // Without the cut: the line breaks are normalized once, before the parser.
    const whole = parseXml(withData(`<![CDATA[${data}]]>`), { longTextChars: Infinity });
    expect(whole.ok && whole.value.attachments[0]?.data).toBe(data.replaceAll('\r\n', '\n'));
  });

  it('keeps a CR written as a reference and normalizes the literal ones', () => {
    const r = parseXml(withData('a\r\nb\rc&#13;d'.repeat(10)), { longTextChars: 20 });
    expect(r.ok && r.value.attachments[0]?.data).toBe('a\nb\nc\rd'.repeat(10));
    expect(r).toEqual(parseXml(withData('a\r\nb\rc&#13;d'.repeat(10)), { longTextChars: Infinity }));
  });
});
