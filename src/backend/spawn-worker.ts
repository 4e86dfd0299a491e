/**
 * Starts a worker thread on one of the back end's thread entries (the parse workers, the database thread)
 * from wherever this module runs: under tsx (tests, a checkout without a build) the thread registers tsx and
 * loads the TypeScript entry; in the esbuild bundle it loads the `.js` chunk built beside the entry
 * (scripts/build.ts lists the thread entries).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `entry`: the thread's TypeScript source, as `new URL('./x-worker.ts', import.meta.url)`. */
export function spawnWorker(entry: URL, options: WorkerOptions = {}): Worker {
  const here = import.meta.filename;
  const source = fileURLToPath(entry);
  if (!here.endsWith('.ts')) {
    // Bundled: every chunk sits in one folder, the thread's among them.
    return new Worker(join(dirname(here), `${basename(source, '.ts')}.js`), options);
  }
  const require = createRequire(here);
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const api = pkg.exports['./esm/api']?.import.default;
  if (!api || !existsSync(source)) throw new Error(`cannot start a worker thread: ${source} or tsx's ESM API is missing`);
  const tsx = pathToFileURL(join(dirname(pkgPath), api)).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(pathToFileURL(source).href)}); })`, { ...options, eval: true });
}
