/**
 * `npm run bench:xml` (issue 14): XML parsers on the real message shapes, CPU time per parse (the machine
 * is shared, so wall time would measure the neighbours). Candidates run on Node 20 with entities off:
 * - the codec's parseXml (@rgrove/parse-xml 4 + namespace stacks + the Call Home reading): what ingest runs;
 * - @rgrove/parse-xml 4 alone: the floor under the codec;
 * - saxes 6 (the codec before), with only text handlers, and with the six handlers a namespace-aware
 *   reader with caps registers (opentagstart, attribute, opentag, closetag, doctype, error): V8 then
 *   reads the parser's fields several times slower, which was most of the old codec's cost;
 * - fast-xml-parser 5 as the codec before saxes ran it (XMLValidator, then preserveOrder with the Data
 *   stop node), and without the validator (which leaves a malformed body unnoticed, so not usable alone).
 * Each row also says whether the parser expands an entity a DOCTYPE defines and whether CDATA survives.
 * Shapes: the bench's 10 KB syslog message, the guide's sample, 3 MiB attachments (escaped, CDATA), and
 * three hostile 3 MiB shapes (the codec refuses two of them at a cap; the others read them in full).
 */
import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseXml as parseDocument } from '@rgrove/parse-xml';
import { SaxesParser } from 'saxes';
import { parseXml } from '../src/callhome/codec.js';
import { hugeShapes } from '../test/security/hostile-xml.js';
import { benchTemplates } from './ingest-message.js';
import { writeBenchSection, type BenchFigure } from './report.js';
import { isMain, loadAverageText, machineNotes } from './support.js';

/** `parse` is what is timed; `text` renders its result for the safety checks (not timed). */
type Candidate = { readonly name: string; readonly parse: (body: string) => unknown; readonly text: (result: unknown) => string };

const fxpOptions = { preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', processEntities: false, htmlEntities: false, parseTagValue: false, parseAttributeValue: false, trimValues: false, cdataPropName: '#cdata' } as const;
const fxpOld = new XMLParser({ ...fxpOptions, stopNodes: ['*.aml-block:Data', '*.Data'] });
const fxpPlain = new XMLParser(fxpOptions);

/** saxes alone: every text and CDATA piece concatenated (so the checks can see them); `reader` adds the other handlers the old codec had. */
function saxes(body: string, reader: boolean): string {
  const p = new SaxesParser({ xmlns: false, position: false });
  let out = '';
  p.on('text', (t) => (out += t));
  p.on('cdata', (t) => (out += t));
  if (reader) {
    let elements = 0;
    p.on('opentagstart', () => elements++);
    p.on('attribute', () => elements++);
    p.on('opentag', () => elements++);
    p.on('closetag', () => elements--);
    p.on('doctype', () => {
      throw new Error('doctype');
    });
  }
  p.on('error', (e) => {
    throw e;
  });
  p.write(body).close();
  return out;
}

const CANDIDATES: readonly Candidate[] = [
  { name: 'codec parseXml (@rgrove/parse-xml 4, chosen)', parse: (b) => parseXml(b), text: (r) => JSON.stringify(r) },
  { name: '@rgrove/parse-xml 4 alone', parse: (b) => parseDocument(b), text: (r) => JSON.stringify(r) },
  { name: 'saxes 6, text handlers only', parse: (b) => saxes(b, false), text: String },
  { name: 'saxes 6, with the six handlers of a reader (the codec before)', parse: (b) => saxes(b, true), text: String },
  { name: 'fast-xml-parser 5: validate + parse (the codec before saxes, without its tree walk)', parse: (b) => (XMLValidator.validate(b) === true ? fxpOld.parse(b) : 'invalid'), text: (r) => JSON.stringify(r) },
  { name: 'fast-xml-parser 5: parse only (no validation: a malformed body passes)', parse: (b) => fxpPlain.parse(b), text: (r) => JSON.stringify(r) },
];

function shapes(): [string, string][] {
  const message = benchTemplates()[0] ?? '';
  const sample = readFileSync(new URL('../test/fixtures/messages/guide-sample-syslog.xml', import.meta.url), 'utf8');
  const fill = (unit: string): string => unit.repeat(Math.floor((3_145_728 - message.length - 1024) / unit.length));
  const withData = (data: string): string => message.replace(/(<aml-block:Data[^>]*>)[\s\S]*?(<\/aml-block:Data>)/, `$1${data}$2`);
  return [
    ['10 KB syslog message (bench)', message],
    ["guide's sample", sample],
    ['3 MiB escaped show output', withData(fill('&lt;189&gt;%LINK-3-UPDOWN: Interface Gi0/1 &amp; up\n'))],
    ['3 MiB show output in CDATA', withData(`<![CDATA[${fill('Router# show tech-support | include up\n')}]]>`)],
    // Hostile shapes (test/security/hostile-xml.ts): what one body can cost.
    ...hugeShapes().filter(([name]) => ['many empty elements', 'one element with many attributes', 'one long attribute value'].includes(name)).map(([name, body]): [string, string] => [`3 MiB hostile: ${name}`, body]),
  ];
}

/**
 * CPU µs per parse. A small body: the best of five rounds of about `budgetMs` / 5 each, after a warm-up,
 * so neither the JIT nor a neighbour's burst is charged to the candidate. A 3 MiB body: at least one parse,
 * as many as fit in `budgetMs`, averaged.
 */
function cpuPerParse(parse: (b: string) => unknown, body: string, budgetMs = 400): number {
  const round = (budget: number, minRuns: number): number => {
    let runs = 0;
    let spent = 0;
    const start = process.cpuUsage();
    while (runs < minRuns || (spent < budget * 1000 && runs < 5_000)) {
      parse(body);
      runs++;
      const d = process.cpuUsage(start);
      spent = d.user + d.system;
    }
    return spent / runs;
  };
  if (body.length > 1_000_000) return round(budgetMs, 1);
  round(100, 3);
  return Math.min(...Array.from({ length: 5 }, () => round(budgetMs / 5, 3)));
}

/** Does the candidate expand an entity that a DOCTYPE defines, and keep CDATA as data? */
function safety(c: Candidate): { expands: boolean; keepsCdata: boolean } {
  const attempt = (b: string): string => {
    try {
      return c.text(c.parse(b));
    } catch (e) {
      return `threw ${e instanceof Error ? e.message : String(e)}`;
    }
  };
  const message = benchTemplates()[0] ?? '';
  const dtd = message.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY e "EXPANDED-ENTITY">]>').replace(/(<ch:Name>)[^<]*/, '$1&e;');
  const cdata = message.replace(/(<aml-block:Data[^>]*>)[\s\S]*?(<\/aml-block:Data>)/, '$1<![CDATA[<kept attr="&amp;"/>]]>$2');
  return { expands: attempt(dtd).includes('EXPANDED-ENTITY'), keepsCdata: attempt(cdata).includes('<kept attr=\\"&amp;\\"/>') || attempt(cdata).includes('<kept attr="&amp;"/>') };
}

function main(): void {
  const notes = machineNotes();
  process.stdout.write(`bench:xml — CPU time per parse; ${notes.join('; ')}\n`);
  const figures: BenchFigure[] = [];
  const rows: string[] = ['| parser | ' + shapes().map(([n]) => n).join(' | ') + ' | expands a DOCTYPE entity | keeps CDATA |', '|---|' + shapes().map(() => '---:|').join('') + '---|---|'];
  const chosen = new Map<string, number>();
  for (const c of CANDIDATES) {
    const cells: string[] = [];
    for (const [shape, body] of shapes()) {
      const us = cpuPerParse(c.parse, body);
      if (c === CANDIDATES[0]) chosen.set(shape, us);
      cells.push(us >= 10_000 ? `${(us / 1000).toFixed(0)} ms` : `${us.toFixed(0)} µs`);
      const base = chosen.get(shape);
      figures.push({ id: `xml.${c.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.${shape.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`, label: `${c.name}: ${shape}`, value: us, unit: 'µs CPU', ...(base !== undefined && c !== CANDIDATES[0] ? { baseline: { label: 'codec parseXml', value: base }, ratio: us / base } : {}) });
    }
    const s = safety(c);
    rows.push(`| ${c.name} | ${cells.join(' | ')} | ${s.expands ? 'yes' : 'no'} | ${s.keepsCdata ? 'yes' : 'no'} |`);
  }
  process.stdout.write(`${rows.join('\n')}\n`);
  writeBenchSection({ bench: 'xml', title: 'XML parsers on Call Home message shapes (CPU per parse)', command: 'npm run bench:xml', figures, notes: [...notes, `load average at end: ${loadAverageText()}`] });
}

if (isMain(import.meta.url)) main();
