/**
 * `callhome serve --json` for the fault tests: the same runServe handler, without loading every other
 * subcommand (the full CLI takes seconds to import on a busy 2-core machine). Argument: ServeOptions as JSON.
 */
import { runServe, type ServeOptions } from '../../commands/serve.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as ServeOptions;
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
