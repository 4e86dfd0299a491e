/** Entry of a parse worker thread: answers the jobs posted by parse-pool.ts one at a time, in the order they came. */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadPriority } from '../thread-priority.js';
import { runParseJob, type ParseJob } from './parse-jobs.js';

// The large lane's thread parses 3 MiB bodies (tens to hundreds of ms of CPU): on a busy machine it waits for
// the cores rather than the event loop and the database thread, which answer every other device.
if ((workerData as { lane?: string } | null)?.lane === 'large') lowerThisThreadPriority();

const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs only as a worker thread');
// A mail's parse is asynchronous: the next job waits for it, so answers keep the order of the jobs (the pool relies on it).
let previous: Promise<void> = Promise.resolve();
port.on('message', (job: ParseJob) => {
  previous = previous.then(() =>
    runParseJob(job).then(
      (answer) => port.postMessage({ ok: true, answer }),
      (e: unknown) => port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
    ),
  );
});
