import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { CallHomeMessage } from '../../src/domain/message.js';
import { renderLongText, renderShortText, renderXml } from '../../src/callhome/codec.js';
import { formatCallHomeTime, formatSyslogStamp, hexEpoch } from '../../src/callhome/timestamp.js';

const SAMPLE = readFileSync(new URL('../fixtures/messages/guide-sample-syslog.xml', import.meta.url), 'utf8');

// preserveOrder makes the comparison sensitive to element order, not just to the set of elements.
const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '@', cdataPropName: '#cdata', parseTagValue: false, parseAttributeValue: false, trimValues: true });
const plainParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, trimValues: true });

/** Collapses whitespace in every string: the guide's PDF extraction broke lines inside values. */
function normalize(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\s+/g, ' ').trim();
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  return value;
}

function tree(xml: string): unknown {
  return normalize(parser.parse(xml));
}

/** Walks a parsed XML tree by element names. */
function dig(value: unknown, ...path: string[]): unknown {
  let node = value;
  for (const key of path) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();
const between = (open: string, close: string): string => {
  const start = SAMPLE.indexOf(open) + open.length;
  return SAMPLE.slice(start, SAMPLE.indexOf(close, start));
};

/** The sample's data as a CallHomeMessage. */
const sampleMessage: CallHomeMessage = {
  messageId: 'M8:9S1NMSF22DW:51AEAC68',
  groupId: 'G9:9S1NMSF22DW:51AEAC68',
  kind: 'syslog',
  subType: '',
  severity: 2,
  eventName: 'COUNTERS',
  eventTime: '2013-06-05 03:11:36 GMT+00:00',
  description: oneLine(between('<ch:MessageDescription>', '</ch:MessageDescription>')),
  to: 'http://tools.cisco.com/neddce/services/DDCEService',
  brand: 'Cisco Systems',
  series: 'CSR1000v Cloud Services Router',
  hostname: 'qiang-vm',
  contactName: '',
  contactEmail: 'weijuhua@cisco.com',
  phoneNumber: '',
  streetAddress: '',
  customerId: '',
  siteId: '',
  contractId: '',
  deviceId: 'CSR1000V@C@9S1NMSF22DW',
  ccoId: '',
  idToken: '',
  model: 'CSR1000V',
  hardwareVersion: '',
  serialNumber: '9S1NMSF22DW',
  partNumber: '',
  softwareVersion: '15.4(20130604:093915)',
  systemObjectId: '1.3.6.1.4.1.9.1.1537',
  systemDescription: oneLine(between('name="SystemDescription"\nvalue="', '" />')),
  builderName: 'CSR1000v',
  builderVersion: '2.0',
  profileName: 'CiscoTAC-1',
  cards: [],
  attachments: [{ name: 'show logging', data: between('<![CDATA[', ']]>') }],
};

describe('renderXml against the guide sample (§6.6)', () => {
  it('the fixture is the well-formed sample', () => {
    expect(XMLValidator.validate(SAMPLE)).toBe(true);
    expect(sampleMessage.systemDescription).toMatch(/^Cisco IOS Software, CSR1000V Software .* by jsmith$/);
  });

  it('rendering the sample data gives a tree identical to the sample', () => {
    const xml = renderXml(sampleMessage);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(tree(xml)).toEqual(tree(SAMPLE));
    // The comparison is order-sensitive: swapping two siblings breaks it.
    const swapped = xml.replace('<rme:Model>CSR1000V</rme:Model>\n<rme:HardwareVersion></rme:HardwareVersion>', '<rme:HardwareVersion></rme:HardwareVersion>\n<rme:Model>CSR1000V</rme:Model>');
    expect(swapped).not.toBe(xml);
    expect(tree(swapped)).not.toEqual(tree(SAMPLE));
  });

  it('declares the five namespaces on the elements the sample uses', () => {
    const xml = renderXml(sampleMessage);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<soap-env:Envelope xmlns:soap-env="http://www.w3.org/2003/05/soap-envelope">')).toBe(true);
    expect(xml).toContain('<aml-session:Session xmlns:aml-session="http://www.cisco.com/2004/01/aml-session" soap-env:mustUnderstand="true"');
    expect(xml).toContain('<aml-block:Block xmlns:aml-block="http://www.cisco.com/2004/01/aml-block">');
    expect(xml).toContain('<ch:CallHome xmlns:ch="http://www.cisco.com/2005/05/callhome" version="1.0">');
    expect(xml).toContain('<rme:Chassis xmlns:rme="http://www.cisco.com/rme/4.0">');
    expect(xml).toContain('<aml-block:Type>http://www.cisco.com/2005/05/callhome/syslog</aml-block:Type>');
  });

  it('keeps `]]>`, markup and quotes intact inside CDATA, text and attributes', () => {
    const tricky = 'a ]]> b <x/> & "q" ]]]]>';
    const xml = renderXml({
      ...sampleMessage,
      description: 'x < y & "z"',
      systemDescription: 'line1\nline2 "quoted" <tag>',
      attachments: [{ name: 'show tricky', data: `show tricky\n${tricky}\nR1#` }],
    });
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed: unknown = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, trimValues: false }).parse(xml);
    const block = ['soap-env:Envelope', 'soap-env:Body', 'aml-block:Block'];
    expect(dig(parsed, ...block, 'aml-block:Attachments', 'aml-block:Attachment', 'aml-block:Data')).toEqual({ '#text': `show tricky\n${tricky}\nR1#`, '@encoding': 'plain' });
    expect(dig(parsed, ...block, 'aml-block:Content', 'ch:CallHome', 'ch:MessageDescription')).toBe('x < y & "z"');
    expect(xml).toContain('value="line1&#10;line2 &quot;quoted&quot; &lt;tag&gt;"');
  });

  it('renders FRU cards inside rme:Chassis', () => {
    const xml = renderXml({ ...sampleMessage, cards: [{ model: 'NIM-ES2-4', serialNumber: 'FOC1', partNumber: '73-1', location: 'slot 0/1', hardwareVersion: 'V02', softwareVersion: '17.3' }] });
    const parsed = normalize(plainParser.parse(xml));
    expect(JSON.stringify(parsed)).toContain('"rme:Card":{"rme:Model":"NIM-ES2-4","rme:SerialNumber":"FOC1","rme:PartNumber":"73-1","rme:LocationWithinContainer":"slot 0/1","rme:HardwareVersion":"V02","rme:SoftwareIdentity":{"rme:VersionString":"17.3"}}');
  });
});

describe('timestamps and identifiers (§6.5, C75, C78)', () => {
  it('formats the sample instant', () => {
    const at = new Date(1370401896041);
    expect(formatCallHomeTime(at)).toBe('2013-06-05 03:11:36 GMT+00:00');
    expect(formatCallHomeTime(at, -330)).toBe('2013-06-04 21:41:36 GMT-05:30');
    expect(hexEpoch(at)).toBe('51AEAC68');
    expect(formatSyslogStamp(at)).toBe('*Jun  5 03:11:36.041:');
  });
});

describe('long and short text (§6.1, §6.7)', () => {
  it('long text has one `Label : value` line per field, then a section per command', () => {
    const text = renderLongText({ ...sampleMessage, serviceRequest: '612345678' });
    const lines = text.split('\n');
    expect(lines[0]).toBe('TimeStamp : 2013-06-05 03:11:36 GMT+00:00');
    expect(lines).toContain('Message Name : COUNTERS');
    expect(lines).toContain('Message Type : Call Home');
    expect(lines).toContain('Severity Level : 2');
    expect(lines).toContain('Device ID : CSR1000V@C@9S1NMSF22DW');
    expect(lines).toContain('System Name : qiang-vm');
    expect(lines).toContain('Contact Email : weijuhua@cisco.com');
    expect(lines).toContain('Affected Chassis Serial Number : 9S1NMSF22DW');
    expect(lines).toContain('Service Request Number : 612345678');
    const at = lines.indexOf('Command Output Name : show logging');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 5)).toEqual(['Attachment Type : command output', 'MIME Type : text/plain', 'Command Output Text :', 'show logging Syslog logging: enabled (0']);
    expect(text.trimEnd().endsWith('qiang-vm#')).toBe(true);
  });

  it('short text is one line: name, time, description, urgency', () => {
    expect(renderShortText({ ...sampleMessage, description: 'Fan 2\nfailed', severity: 5 })).toBe('qiang-vm 2013-06-05 03:11:36 GMT+00:00 Fan 2 failed major\n');
  });
});
