/**
 * The codec's round-trip property: for every message a format can carry, parse(render(x)) equals x,
 * for XML, long text and short text. Each generator states the format's domain (what it cannot
 * carry is fixed or derived), so a field the renderer writes and the parser misreads fails here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLongText, parseShortText, parseXml, renderLongText, renderShortText, renderXml, type ShortTextMessage } from '../../src/callhome/codec.js';
import { eventNameOf } from '../../src/callhome/fields.js';
import { formatCallHomeTime } from '../../src/callhome/timestamp.js';
import { MESSAGE_KINDS } from '../../src/domain/callhome.js';
import type { CallHomeMessage } from '../../src/domain/message.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 200);

// Words of printable ASCII (markup characters included) and some non-ASCII letters.
const word = fc.oneof(fc.stringMatching(/^[!-~]{1,12}$/), fc.constantFrom('é', 'Ωmega', '日本', '€', ']]>', '<![CDATA[', '&amp;', ' : '.trim()));
/** A single-line field as devices send it: words joined by one space (no leading, trailing or double blanks). */
const value = fc.array(word, { maxLength: 5 }).map((w) => w.join(' '));
const nonEmpty = fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
const time = fc
  .record({ at: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }), offset: fc.integer({ min: -12 * 60, max: 14 * 60 }) })
  .map(({ at, offset }) => formatCallHomeTime(at, offset));
// Command output: lines that never start with a blank (XML drops leading blanks of the data) nor a long-text section label.
const outputLine = fc.stringMatching(/^[!-~][ -~]{0,40}$/).filter((l) => !l.startsWith('Command Output'));
const output = fc.array(outputLine, { maxLength: 6 }).chain((lines) => fc.constantFrom(lines.join('\n'), lines.join('\n') + '\n'));
const card = fc.record({ model: value, serialNumber: value, partNumber: value, location: value, hardwareVersion: value, softwareVersion: value });
const optional = (a: fc.Arbitrary<string>): fc.Arbitrary<string | undefined> => fc.option(a, { nil: undefined });

/** Every field of a message; each format's generator blanks or derives what that format does not carry. */
const anyMessage: fc.Arbitrary<CallHomeMessage> = fc
  .record({
    messageId: value, groupId: value, kind: fc.constantFrom(...MESSAGE_KINDS), subType: value, severity: fc.integer({ min: 0, max: 9 }),
    eventName: fc.stringMatching(/^[A-Z][A-Z0-9_]{2,20}$/), eventTime: time, description: value, to: value, brand: value, series: value,
    hostname: value, contactName: value, contactEmail: value, phoneNumber: value, streetAddress: value, customerId: value, siteId: value,
    contractId: value, deviceId: value, ccoId: value, idToken: value, model: value, hardwareVersion: value, serialNumber: nonEmpty,
    partNumber: value, softwareVersion: value, systemObjectId: value, systemDescription: value, builderName: value, builderVersion: value,
    profileName: value, serviceRequest: optional(nonEmpty), forwardAddress: optional(nonEmpty),
    cards: fc.array(card, { maxLength: 3 }), attachments: fc.array(fc.record({ name: value, data: output }), { maxLength: 3 }),
  })
  .map(({ serviceRequest, forwardAddress, ...m }) => ({ ...m, ...(serviceRequest ? { serviceRequest } : {}), ...(forwardAddress ? { forwardAddress } : {}) }));

/** XML carries no profile name and no event name (the reader derives it from the description). */
const xmlMessage = anyMessage.map((m): CallHomeMessage => ({ ...m, profileName: '', eventName: eventNameOf(m.kind, m.description, '') }));

/** Long text carries no destination, brand, series, contact name, ID token or builder version. */
const longTextMessage = anyMessage.map((m): CallHomeMessage => ({ ...m, to: '', brand: '', series: '', contactName: '', idToken: '', builderVersion: '' }));

/** Short text carries a host name (one word), the time stamp, a one-line description and the severity. */
const shortTextMessage: fc.Arbitrary<ShortTextMessage> = fc.record({
  hostname: fc.stringMatching(/^[!-~]{1,30}$/),
  eventTime: time,
  description: fc.oneof(value, fc.stringMatching(/^[ -~]{0,60}$/)),
  severity: fc.integer({ min: 0, max: 9 }),
});

describe('Call Home codec: parse(render(x)) equals x', () => {
  it('XML', () => {
    fc.assert(fc.property(xmlMessage, (m) => {
      expect(parseXml(renderXml(m))).toEqual({ ok: true, value: m });
    }), { numRuns: RUNS });
  });

  it('long text', () => {
    fc.assert(fc.property(longTextMessage, (m) => {
      expect(parseLongText(renderLongText(m))).toEqual({ ok: true, value: m });
    }), { numRuns: RUNS });
  });

  it('short text', () => {
    fc.assert(fc.property(shortTextMessage, (m) => {
      expect(parseShortText(renderShortText(m))).toEqual(m);
    }), { numRuns: RUNS });
  });
});
