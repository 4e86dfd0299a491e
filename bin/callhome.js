#!/usr/bin/env node
// The `callhome` executable. Runs the esbuild bundle (`npm run build` → dist/) when it is fresh, which
// starts several times faster; otherwise runs the TypeScript entry through tsx, so a checkout without
// a build works and a stale bundle never runs. CALLHOME_BUNDLE=0 forces tsx; CALLHOME_BUNDLE_DIR
// names another bundle directory (the bundle test and the start-up bench use both).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
// What the bundle is built from: our sources, the build script and the installed dependencies.
const SOURCES = ['src', 'commands', 'views', 'bin/callhome.ts', 'scripts/build.ts', 'package.json', 'node_modules/.package-lock.json'];

/** The bundle's build time in ms, or undefined when there is no complete build. */
function builtAt(dir) {
  try {
    const stamp = JSON.parse(readFileSync(join(dir, 'build-stamp.json'), 'utf8'));
    statSync(join(dir, 'callhome.js'));
    return typeof stamp.builtAt === 'number' ? stamp.builtAt : undefined;
  } catch {
    return undefined;
  }
}

/** True when some file under `path` was modified after `since` (stops at the first one). */
function changedSince(path, since) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return false;
  }
  if (!stat.isDirectory()) return stat.mtimeMs > since;
  return readdirSync(path).some((name) => changedSince(join(path, name), since));
}

function freshBundle() {
  if (process.env.CALLHOME_BUNDLE === '0') return undefined;
  const dir = process.env.CALLHOME_BUNDLE_DIR || join(root, 'dist');
  const at = builtAt(dir);
  if (at === undefined || SOURCES.some((source) => changedSince(join(root, source), at))) return undefined;
  return join(dir, 'callhome.js');
}

const bundle = freshBundle();
if (bundle !== undefined) {
  // Node 22.1+ keeps V8's compiled code between runs (most of the start is compiling the bundle);
  // Node 20 has no such cache and skips this.
  module.enableCompileCache?.();
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  // The project's tsconfig (JSX runtime, module settings) wherever callhome is started from: tsx would
  // otherwise look for one in the current directory, and the console would fail on its first frame.
  register({ tsconfig: join(root, 'tsconfig.json') });
  await import('./callhome.ts');
}
