import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseXml, parseLongText, renderLongText, renderXml } from '../../src/callhome/codec.js';
import { MESSAGE_KINDS } from '../../src/domain/callhome.js';
import type { CallHomeMessage } from '../../src/domain/message.js';
import { buildMessage } from '../backend/build-message.js';

// Single-line values as devices send them: printable, no leading/trailing/double spaces.
const word = fc.stringMatching(/^[!-~]{1,12}$/);
const line = fc.array(word, { minLength: 0, maxLength: 5 }).map((w) => w.join(' '));
const output = fc.array(fc.stringMatching(/^[!-~][ -~]{0,30}$/), { minLength: 1, maxLength: 6 }).map((l) => l.join('\n'));

const messages = fc
  .record({
    serialNumber: fc.stringMatching(/^[A-Z0-9]{6,11}$/),
    kind: fc.constantFrom(...MESSAGE_KINDS),
    severity: fc.integer({ min: 0, max: 9 }),
    description: line,
    hostname: fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/),
    contactEmail: fc.stringMatching(/^[a-z]{1,8}@[a-z]{1,8}\.com$/),
    streetAddress: line,
    attachments: fc.array(fc.record({ name: fc.stringMatching(/^show [a-z-]{1,20}$/), data: output }), { maxLength: 3 }),
  })
  .map((o): CallHomeMessage => buildMessage({ ...o, eventName: 'EVENT_X' }));

const SAME = ['messageId', 'groupId', 'kind', 'severity', 'description', 'hostname', 'contactEmail', 'streetAddress', 'serialNumber', 'model', 'softwareVersion', 'deviceId', 'attachments'] as const;

describe('parsers read back what the lab renders', () => {
  it('XML round trip keeps every field the format carries', () => {
    fc.assert(
      fc.property(messages, (m) => {
        const r = parseXml(renderXml(m));
        expect(r.ok).toBe(true);
        if (r.ok) for (const k of SAME) expect(r.value[k]).toEqual(m[k]);
      }),
      { numRuns: 150 },
    );
  });

  it('reads attachment data the same whether a sender escapes it, wraps it in CDATA or mixes both', () => {
    const data = 'Router# show log\n<189>%LINK-3-UPDOWN: a & b ]]> "c" \'d\'';
    const escaped = data.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const cdata = `<![CDATA[${data.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
    const mixed = `<![CDATA[Router# show log\n<189>]]>%LINK-3-UPDOWN: a &amp; b ]]&gt; <![CDATA["c" 'd']]>`;
    const template = renderXml(buildMessage({ serialNumber: 'FOC1234X0AB' }));
    for (const encoded of [escaped, cdata, mixed]) {
      const xml = template.replace(/<aml-block:Data([^>]*)>[\s\S]*?<\/aml-block:Data>/, `<aml-block:Data$1>${encoded}</aml-block:Data>`);
      const r = parseXml(xml);
      expect(r.ok, encoded).toBe(true);
      if (r.ok) expect(r.value.attachments[0]?.data).toBe(data);
    }
  });

  it('long-text round trip keeps every field the format carries', () => {
    fc.assert(
      fc.property(messages, (m) => {
        const r = parseLongText(renderLongText(m));
        expect(r.ok).toBe(true);
        if (r.ok) for (const k of SAME) expect(r.value[k]).toEqual(m[k]);
      }),
      { numRuns: 150 },
    );
  });
});
