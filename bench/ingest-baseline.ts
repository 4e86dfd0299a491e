/**
 * bench:ingest's calibration and same-run baseline, forked by bench/ingest.ts into a process of their own (so the
 * back end measured after them does not inherit their heap): the µs of one parse, and parse + group-committed
 * insert through the back end's own functions without a server. Arguments: the run's directory and the count;
 * the report goes back over IPC.
 */
import { join } from 'node:path';
import { runParseJob } from '../src/backend/ingest/parse-jobs.js';
import { defaultRulesFile, loadRules } from '../src/backend/processing/rules.js';
import { createBackendService } from '../src/backend/service.js';
import { openSqliteStore } from '../src/backend/store/sqlite-store.js';
import { parseXml } from '../src/callhome/codec.js';
import { benchMessageId, benchTemplates, MESSAGE_ID_PLACEHOLDER } from './ingest-message.js';
import { isMain } from './support.js';

/** What the baseline process reports. */
export type BaselineReport = { readonly parseUs: number; readonly rate: number; readonly seconds: number };

/** µs of CPU per parse, after warm-up: tells how loaded the machine is compared with the figures. */
function parseCost(): number {
  const templates = benchTemplates();
  for (let i = 0; i < 200; i++) parseXml(templates[i % templates.length] ?? '');
  const start = performance.now();
  for (let i = 0; i < 500; i++) parseXml(templates[i % templates.length] ?? '');
  return ((performance.now() - start) * 1000) / 500;
}

/**
 * Parse + group-committed insert (with the same processing the server runs), no HTTP: the server's own parse
 * step (runParseJob: the codec, and the body packed for the store) and its service over an in-thread store.
 */
async function baseline(dir: string, count: number): Promise<{ rate: number; seconds: number }> {
  const templates = benchTemplates();
  const store = openSqliteStore(join(dir, 'baseline.db'));
  const service = createBackendService({ store, rules: loadRules(defaultRulesFile()), portalUrl: '' });
  const run = async (n: number, phase: string): Promise<number> => {
    const start = performance.now();
    const acks: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) {
      const t = i % templates.length;
      const raw = (templates[t] ?? '').replace(MESSAGE_ID_PLACEHOLDER, benchMessageId(phase, i, t, Date.now() * 1000));
      const answer = await runParseJob({ kind: 'xml', body: raw });
      if (answer.kind !== 'xml' || !answer.result.ok) throw new Error('a bench message does not parse');
      acks.push(service.ingest({ receivedAt: new Date().toISOString(), transport: 'http', remote: '127.0.0.1', format: 'xml', raw, message: answer.result.value, packed: answer.packed }));
      // Let the group committer's timer run, as request handling would.
      if (i % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(acks);
    return (performance.now() - start) / 1000;
  };
  await run(300, 'WARM');
  const seconds = await run(count, 'BASE');
  await service.close();
  await store.close();
  return { rate: count / seconds, seconds };
}

if (isMain(import.meta.url)) {
  const [dir, count] = process.argv.slice(2);
  if (!dir || !count) throw new Error('usage: ingest-baseline.ts DIR COUNT (forked by bench/ingest.ts)');
  const parseUs = parseCost();
  const report: BaselineReport = { parseUs, ...(await baseline(dir, Number(count))) };
  process.send?.(report, () => process.disconnect());
}
