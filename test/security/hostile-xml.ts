/**
 * Bodies built to make an XML parser work more than in proportion to their size: the namespace bomb
 * of issue 11 (thousands of declarations on one element and as many children: each node used to copy
 * the scope) and 3 MiB bodies of every shape a parser can stumble on. Shared by the security test and
 * `npm run bench:ingest`.
 */
import { SAMPLE_XML } from '../backend/helpers.js';

/** The Call Home size limit a body must fit (3 MiB). */
const LIMIT = 3_145_728;

const ENVELOPE_NS = 'http://www.w3.org/2003/05/soap-envelope';

/** Repeats `unit` to fill `size` bytes between `head` and `tail`. */
function fill(head: string, unit: string, tail: string, size = LIMIT - 1024): string {
  const n = Math.max(0, Math.floor((size - head.length - tail.length) / unit.length));
  return head + unit.repeat(n) + tail;
}

/** `head`, then `unit(0)`, `unit(1)`, … while they fit in `size` bytes, then `tail`. */
function manyNamed(head: string, unit: (i: number) => string, tail: string, size = LIMIT - 1024): string {
  const parts = [head];
  let length = head.length + tail.length;
  for (let i = 0; ; i++) {
    const u = unit(i);
    if (length + u.length > size) break;
    parts.push(u);
    length += u.length;
  }
  parts.push(tail);
  return parts.join('');
}

/** ~235 KiB: `declarations` xmlns:nK declarations on the root and as many child elements. */
export function namespaceBomb(declarations = 7_000): string {
  const decls = Array.from({ length: declarations }, (_, i) => ` xmlns:n${i}="urn:x:${i}"`).join('');
  const children = Array.from({ length: declarations }, (_, i) => `<n${i % declarations}:c/>`).join('');
  return `<?xml version="1.0"?><soap-env:Envelope xmlns:soap-env="${ENVELOPE_NS}"${decls}>${children}</soap-env:Envelope>`;
}

/** The guide's sample with `inner` as the text of its attachment Data (or its host name). */
function inSample(inner: string, where: 'data' | 'hostname' = 'data'): string {
  if (where === 'hostname') return SAMPLE_XML.replace('qiang-vm</ch:Name>', `${inner}</ch:Name>`);
  return SAMPLE_XML.replace(/(<aml-block:Data[^>]*>)[\s\S]*?(<\/aml-block:Data>)/, `$1${inner}$2`);
}

/** 3 MiB bodies, one per shape; each is at most the Call Home limit. */
export function hugeShapes(): [string, string][] {
  const room = LIMIT - SAMPLE_XML.length - 4096;
  const shapes: [string, string][] = [
    ['many empty elements', fill(`<soap-env:Envelope xmlns:soap-env="${ENVELOPE_NS}">`, '<a/>', '</soap-env:Envelope>')],
    ['deep nesting', (() => {
      const depth = Math.floor((LIMIT - 1024) / 7);
      return '<a>'.repeat(depth) + '</a>'.repeat(depth);
    })()],
    ['deep nesting with a namespace declared at every level', (() => {
      const unit = '<p:a xmlns:p="urn:p">';
      const depth = Math.floor((LIMIT - 1024) / (unit.length + 6));
      return unit.repeat(depth) + '</p:a>'.repeat(depth);
    })()],
    ['one element with many attributes', manyNamed(`<soap-env:Envelope xmlns:soap-env="${ENVELOPE_NS}"`, (i) => ` a${i}="1"`, '/>')],
    ['one element with many namespace declarations', manyNamed(`<soap-env:Envelope xmlns:soap-env="${ENVELOPE_NS}"`, (i) => ` xmlns:q${i}="urn:q"`, '/>')],
    ['namespace declarations at the cap on every element', (() => {
      const decls = Array.from({ length: 250 }, (_, i) => ` xmlns:p${i}="urn:p:${i}"`).join('');
      return fill(`<soap-env:Envelope xmlns:soap-env="${ENVELOPE_NS}">`, `<p7:e${decls}><p9:f/></p7:e>`, '</soap-env:Envelope>');
    })()],
    ['escaped show output in the attachment', inSample(fill('', '&lt;189&gt;%LINK-3-UPDOWN: a &amp; b\n', '', room))],
    ['character references in the attachment', inSample(fill('', '&#60;&#x3e;&#38;', '', room))],
    ['CDATA in the attachment', inSample(fill('<![CDATA[', 'Router# show tech-support\n', ']]>', room))],
    ['many CDATA sections in the attachment', inSample(fill('', '<![CDATA[x]]>', '', room))],
    ['escaped text in a header field', inSample(fill('', '&lt;&amp;', '', room), 'hostname')],
    ['comments', fill(`<soap-env:Envelope xmlns:soap-env="${ENVELOPE_NS}">`, '<!--x-->', '</soap-env:Envelope>')],
    ['processing instructions', fill(`<soap-env:Envelope xmlns:soap-env="${ENVELOPE_NS}">`, '<?p x?>', '</soap-env:Envelope>')],
    ['one long attribute value', fill(`<soap-env:Envelope xmlns:soap-env="${ENVELOPE_NS}" a="`, '&amp;x', '"/>')],
    ['unclosed elements', fill('', '<a>', '')],
    ['a very long element name', fill('<', 'a', '/>')],
  ];
  return shapes;
}
