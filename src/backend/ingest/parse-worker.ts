/** Entry of a parse worker thread: answers each job posted by parse-pool.ts, one at a time. */
import { parentPort } from 'node:worker_threads';
import { runParseJob, type ParseJob } from './parse-jobs.js';

const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs only as a worker thread');
port.on('message', (job: ParseJob) => {
  runParseJob(job).then(
    (answer) => port.postMessage({ ok: true, answer }),
    (e: unknown) => port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
});
