/** Entry of a parse worker thread: answers each job posted by parse-pool.ts, one at a time. */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadPriority } from '../thread-priority.js';
import { runParseJob, type ParseJob } from './parse-jobs.js';

// The large lane's thread parses 3 MiB bodies (tens to hundreds of ms of CPU): on a busy machine it waits for
// the cores rather than the event loop and the database thread, which answer every other device.
if ((workerData as { lane?: string } | null)?.lane === 'large') lowerThisThreadPriority();

const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs only as a worker thread');
port.on('message', (job: ParseJob) => {
  runParseJob(job).then(
    (answer) => port.postMessage({ ok: true, answer }),
    (e: unknown) => port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
});
