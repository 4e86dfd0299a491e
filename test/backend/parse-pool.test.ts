/**
 * The parse pool (issue 14): real worker threads started through tsx, answering what the codec answers
 * in-thread; a large body has a lane of its own; a thread past its hard deadline is replaced.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BULK_NICE } from '../../src/backend/thread-priority.js';
import { parseXml } from '../../src/callhome/codec.js';
import { createParsePool, defaultParseWorkers, INLINE_XML_BYTES, LARGE_JOB_BYTES, type ParsePool } from '../../src/backend/ingest/parse-pool.js';
import { contentHash, PACK_FROM_BYTES, unpackBody } from '../../src/backend/store/packed-body.js';
import { hugeShapes } from '../security/hostile-xml.js';
import { SAMPLE_XML } from './helpers.js';

let pool: ParsePool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

/** A pool answer without the packed body it carries for the store (checked on its own below). */
function parsedOnly<T extends { packed?: unknown }>(answer: T | undefined): Omit<T, 'packed'> | undefined {
  if (!answer) return answer;
  const { packed: _packed, ...rest } = answer;
  return rest;
}

const escaped = (): string => hugeShapes().find(([name]) => name === 'escaped show output in the attachment')?.[1] ?? '';

describe('parse pool', () => {
  it('parses in worker threads and answers exactly what the codec answers in-thread', async () => {
    pool = createParsePool({ workers: 2 });
    expect(pool.started).toBe(0);
    const bodies = [SAMPLE_XML, SAMPLE_XML.replace('<?xml', '<!DOCTYPE x><?xml'), '<a>', SAMPLE_XML.replace('9S1NMSF22DW', '')];
    const answers = await Promise.all(bodies.map((b) => pool?.xml(b)));
    expect(answers.map(parsedOnly)).toEqual(bodies.map((b) => parseXml(b)));
    // A parsed body comes packed for the store (store/packed-body.ts), the raw text and attachments intact.
    const first = answers[0];
    expect(SAMPLE_XML.length).toBeGreaterThan(PACK_FROM_BYTES);
    expect(first?.packed && unpackBody(first.packed.bytes, 1)).toEqual({ raw: SAMPLE_XML, attachments: first?.ok ? first.value.attachments : [] });
    expect(first?.packed?.contentHash).toBe(contentHash(SAMPLE_XML));
    expect(answers[2]?.packed).toBeUndefined();
    expect(pool.started).toBeGreaterThanOrEqual(1);
  });

  it('with 0 workers parses small XML bodies inline and sends larger ones to its one thread', async () => {
    pool = createParsePool({ workers: 0 });
    expect(parsedOnly(await pool.xml(SAMPLE_XML))).toEqual(parseXml(SAMPLE_XML));
    expect(pool.started).toBe(0);
    const larger = SAMPLE_XML.replace(/(<aml-block:Data[^>]*>)[\s\S]*?(<\/aml-block:Data>)/, `$1${'show logging line\n'.repeat(INLINE_XML_BYTES / 16)}$2`);
    expect(larger.length).toBeGreaterThan(INLINE_XML_BYTES);
    expect(parsedOnly(await pool.xml(larger))).toEqual(parseXml(larger));
    expect(pool.started).toBe(1);
  });

  it('defaults to inline parsing on one core and to one thread per other core beyond', () => {
    expect([1, 2, 3, 8].map((cores) => defaultParseWorkers(cores))).toEqual([0, 1, 2, 7]);
  });

  it('warm() starts an ordinary thread and the large lane before any job, and the first jobs run on them', async () => {
    pool = createParsePool({ workers: 2 });
    pool.warm();
    expect(pool.started).toBe(2);
    expect(parsedOnly(await pool.xml(SAMPLE_XML))).toEqual(parseXml(SAMPLE_XML));
    expect((await pool.xml(escaped())).ok).toBe(true);
    expect(pool.started).toBe(2);
    const inline = createParsePool({ workers: 0 });
    try {
      inline.warm();
      expect(inline.started).toBe(1);
    } finally {
      await inline.close();
    }
  });

  it('reads a mail in a worker: the content, its format and the SR number of the subject', async () => {
    pool = createParsePool({ workers: 1 });
    const mail = `From: r1@example.com\r\nTo: ingest@example.com\r\nSubject: call home SR#612345678\r\nContent-Type: text/plain\r\n\r\nR1 2026-11-23 10:00:00 GMT+00:00 %SYS-2-X: fan failed major\r\n`;
    const r = await pool.mail(new TextEncoder().encode(mail));
    expect(r.ok && r.value.format).toBe('short-text');
    expect(r.ok && r.value.serviceRequest).toBe('612345678');
    expect(r.ok && r.value.format === 'short-text' && r.value.short).toEqual({ hostname: 'R1', eventTime: '2026-11-23 10:00:00 GMT+00:00', description: '%SYS-2-X: fan failed', severity: 5 });
  });

  it('answers small bodies while a 3 MiB body is being parsed (the large lane)', async () => {
    pool = createParsePool({ workers: 1 });
    const big = escaped();
    expect(big.length).toBeGreaterThan(LARGE_JOB_BYTES);
    await pool.xml(SAMPLE_XML); // the small lane's thread is up
    const bigStart = performance.now();
    let bigMs = 0;
    const large = pool.xml(big).then((r) => {
      bigMs = performance.now() - bigStart;
      return r;
    });
    const smallMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const r = await pool.xml(SAMPLE_XML);
      smallMs.push(performance.now() - t);
      expect(r.ok).toBe(true);
    }
    expect((await large).ok).toBe(true);
    // Every small answer came back before the large one would have let it through a single queue.
    expect(Math.max(...smallMs)).toBeLessThan(bigMs);
  });

  it.runIf(process.platform === 'linux')('runs the large lane at a lower CPU priority than the other threads (Linux)', async () => {
    const niceOf = (): Map<number, number> =>
      new Map(
        readdirSync('/proc/self/task').map((tid) => {
          // Fields after the command name (which is in parentheses and may hold spaces): nice is the 19th field overall.
          const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
          return [Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
        }),
      );
    const before = niceOf();
    pool = createParsePool({ workers: 1 });
    await pool.xml(SAMPLE_XML); // the ordinary lane's thread
    expect((await pool.xml(escaped())).ok).toBe(true); // the large lane's thread
    const started = [...niceOf()].filter(([tid]) => !before.has(tid));
    expect(started.filter(([, nice]) => nice === BULK_NICE)).toHaveLength(1);
    expect(niceOf().get(process.pid)).toBe(before.get(process.pid));
    expect(started.some(([, nice]) => nice === before.get(process.pid))).toBe(true);
  });

  it('replaces a thread that overruns its hard deadline, refuses that job and serves the next one', async () => {
    pool = createParsePool({ workers: 1, hardDeadlineMs: 1 });
    const r = await pool.xml(escaped());
    expect(r.ok ? 'ok' : r.error.kind).toBe('too-complex');
    const startedAfterKill = pool.started;
    await pool.close();
    pool = createParsePool({ workers: 1 });
    expect((await pool.xml(SAMPLE_XML)).ok).toBe(true);
    expect(startedAfterKill).toBeGreaterThanOrEqual(1);
  });

  it('gives a thread several jobs at once and matches each answer to its job, mails (parsed asynchronously) among XML', async () => {
    pool = createParsePool({ workers: 1 });
    const mail = (n: number): Uint8Array => new TextEncoder().encode(`From: r${n}@example.com\r\nTo: ingest@example.com\r\nSubject: call home\r\nContent-Type: text/plain\r\n\r\nR${n} 2026-11-23 10:00:00 GMT+00:00 %SYS-2-X: fan failed major\r\n`);
    const bodies = Array.from({ length: 12 }, (_, i) => SAMPLE_XML.replace('9S1NMSF22DW', `SERIAL${i}`));
    const xml = bodies.map((b) => pool?.xml(b));
    const mails = bodies.map((_, i) => pool?.mail(mail(i)));
    const [xmlAnswers, mailAnswers] = await Promise.all([Promise.all(xml), Promise.all(mails)]);
    expect(pool.started).toBe(1);
    bodies.forEach((b, i) => {
      expect(parsedOnly(xmlAnswers[i])).toEqual(parseXml(b));
      const m = mailAnswers[i];
      expect(m?.ok && m.value.format === 'short-text' && m.value.short.hostname).toBe(`R${i}`);
    });
  });

  it('a job past its deadline is refused alone: the jobs given to the same thread after it are answered', async () => {
    pool = createParsePool({ workers: 1, hardDeadlineMs: 1 });
    // Below the large lane's size, so it takes the ordinary thread with the small bodies queued behind it.
    const slow = `<a>${'<b/>'.repeat(40_000)}</a>`;
    expect(slow.length).toBeLessThan(LARGE_JOB_BYTES);
    const first = pool.xml(slow);
    const behind = Array.from({ length: 3 }, () => pool?.xml(SAMPLE_XML));
    const r = await first;
    expect(r.ok ? 'ok' : r.error.kind).toBe('too-complex');
    // Each later job ran on a new thread (each may itself overrun 1 ms there): none is lost or left pending.
    for (const b of await Promise.all(behind)) expect(b?.ok === true || b?.error.kind === 'too-complex').toBe(true);
    expect(pool.started).toBeGreaterThanOrEqual(2);
  });

  it('parses a body given as bytes: decoded in the thread as the HTTP ingest decodes, a large one handed over, not copied', async () => {
    pool = createParsePool({ workers: 1 });
    // A small body, here one cut short: answered as the codec answers its text.
    const small = parseXml(SAMPLE_XML.slice(0, 200));
    const fromBytes = await pool.xml(new TextEncoder().encode(SAMPLE_XML.slice(0, 200)));
    expect(parsedOnly(fromBytes)).toEqual(small);
    // A large one, with a malformed UTF-8 sequence in its text: read as U+FFFD, as Buffer#toString reads it.
    const big = escaped();
    const bytes = Buffer.concat([Buffer.from(big.slice(0, 4000)), Buffer.from([0xc3, 0x28]), Buffer.from(big.slice(4000))]);
    const text = bytes.toString('utf8');
    const expected = parseXml(text);
    const answer = await pool.xml(bytes);
    expect(bytes.byteLength).toBe(0); // handed over to the large lane's thread
    const { packed, raw, ...result } = answer;
    expect(result).toEqual(expected);
    expect(raw).toBeUndefined();
    expect(packed && unpackBody(packed.bytes, 1).raw).toBe(text);
  });

  it('refuses jobs once closed instead of leaving them pending', async () => {
    pool = createParsePool({ workers: 1 });
    const pending = pool.xml(escaped());
    await pool.close();
    const r = await pending;
    expect(r.ok ? 'ok' : r.error.kind).toBe('too-complex');
    expect(((await pool.xml(SAMPLE_XML)) as { ok: boolean }).ok).toBe(false);
  });
});
