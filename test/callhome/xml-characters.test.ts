/**
 * Characters XML 1.0 forbids but devices send (ESC, BEL and other controls in syslog text): the codec keeps
 * them as sent, in element text, CDATA and attribute values (the console and CLI escape them at display),
 * while a character reference to a code point XML has no character for reads as U+FFFD and a malformed one
 * as text — the behaviour of the codec before @rgrove/parse-xml, which refuses all of these.
 */
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../src/callhome/codec.js';
import { sampleWith, SAMPLE_XML } from '../backend/helpers.js';

describe('XML: characters devices send that XML forbids', () => {
  it('keeps control characters as sent in text, CDATA and attribute values', () => {
    const description = '%SYS-5-CONFIG_I: \u001b[31mred\u001b[0m bell\u0007 nul\u0000 ff\uFFFF';
    let body = sampleWith({ serial: 'CTRL0001', description });
    body = body.replace(/(<aml-block:Data[^>]*>)[\s\S]*?(<\/aml-block:Data>)/, '$1<![CDATA[show logging\u001b[1m bold\u0008]]>$2');
    body = body.replace(/(<rme:AD name="SoftwareVersion" value=")[^"]*"/, '$1v\u0001 17.3"');
    const r = parseXml(body);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.description).toBe(description);
    expect(r.value.attachments[0]?.data).toBe('show logging\u001b[1m bold\u0008');
    expect(r.value.softwareVersion).toBe('v\u0001 17.3');
  });

  it('keeps a private-use character the escaping uses, in a body that also needs it', () => {
    const description = 'mark \uE000 and \uE000\uE107 then ESC \u001b';
    const r = parseXml(sampleWith({ serial: 'CTRL0002', description }));
    expect(r.ok && r.value.description).toBe(description);
    // Without a forbidden character the body takes the fast path, untouched.
    const plain = 'mark \uE000\uE107 only';
    const p = parseXml(sampleWith({ serial: 'CTRL0003', description: plain }));
    expect(p.ok && p.value.description).toBe(plain);
  });

  it('reads a reference to a forbidden code point as U+FFFD and a malformed reference as text', () => {
    const r = parseXml(sampleWith({ serial: 'CTRL0004', description: 'a&#1;b&#xD800;c&#xZZ;d' }));
    expect(r.ok && r.value.description).toBe('a\uFFFDb\uFFFDc&#xZZ;d');
  });

  it('still refuses a body that is malformed apart from its characters', () => {
    const r = parseXml(SAMPLE_XML.replace('</ch:MessageDescription>', '\u001b</ch:Description>'));
    expect(r.ok ? 'ok' : r.error.kind).toBe('not-xml');
  });
});
