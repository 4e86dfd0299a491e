/**
 * `callhome serve --json` for the fault tests: the same runServe handler, without loading every other
 * subcommand (the full CLI takes seconds to import on a busy 2-core machine). Argument: ServeOptions as
 * JSON. It prints `{"event":"loaded"}` once its code is loaded and starts serving when a line arrives on
 * stdin, so a test can load the replacement process before it stops the running one.
 */
import { createInterface } from 'node:readline';
import { runServe, type ServeOptions } from '../../commands/serve.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as ServeOptions;
process.stdout.write(`${JSON.stringify({ event: 'loaded' })}\n`);
await new Promise<void>((resolve) => {
  const go = createInterface({ input: process.stdin });
  go.once('line', () => {
    // An open stdin would keep the process alive after serve stops.
    go.close();
    process.stdin.destroy();
    resolve();
  });
});
await runServe(opts, {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  until: () =>
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
});
