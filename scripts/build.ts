/**
 * `npm run build [-- --outdir DIR]`: bundles bin/callhome.ts into dist/ with esbuild, so the shipped
 * entry starts without tsx and without loading Ink's dependencies file by file (the console's start
 * → first frame goal). Each lazily loaded command stays its own chunk (splitting). bin/callhome.js
 * runs the bundle only while its build stamp is newer than every source file (see BUILD_STAMP_FILE).
 */
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';

const repoRoot = resolve(import.meta.dirname, '..');

/** Written last into the outdir; bin/callhome.js reads `builtAt` (ms since the epoch, taken before bundling). */
export const BUILD_STAMP_FILE = 'build-stamp.json';

/**
 * Left to Node at run time: native addons (better-sqlite3; ssh2, whose native crypto binding and
 * poly1305 wasm glue locate files by __dirname; its optional cpu-features), blessed / blessed-contrib
 * (they require widgets by computed names), pino (its transports and thread-stream resolve worker
 * files at run time) and pg (optional pg-native); reports: pdfkit (loads its standard fonts through its
 * own package imports) and exceljs (its dependencies call the deprecated Buffer(), which Node warns about
 * only outside node_modules).
 */
export const EXTERNAL_PACKAGES: readonly string[] = ['better-sqlite3', 'ssh2', 'cpu-features', 'blessed', 'blessed-contrib', 'pino', 'pg', 'pg-native', 'pdfkit', 'exceljs'];

/** Bundled CJS dependencies call require() for Node built-ins, which an ESM module lacks. */
const CJS_SHIM = "import { createRequire as __callhomeCreateRequire } from 'node:module'; const require = __callhomeCreateRequire(import.meta.url);";

/**
 * Our sources that locate files next to themselves (`new URL('../rules/x.yaml', import.meta.url)`)
 * keep pointing at their own place in the checkout, whichever chunk they land in.
 */
function sourceLocationPlugin(outdir: string): Plugin {
  return {
    name: 'callhome-source-location',
    setup(b) {
      b.onLoad({ filter: /\.(ts|tsx)$/ }, (args) => {
        if (!args.path.startsWith(repoRoot + sep) || args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const fromOut = relative(outdir, args.path).split(sep).join('/');
        const located = `new URL(${JSON.stringify(fromOut)}, import.meta.url).href`;
        return { contents: text.replaceAll('import.meta.url', located), loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts' };
      });
    },
  };
}

/** True when Node would load `file` as CommonJS. */
function isCommonJs(file: string): boolean {
  if (file.endsWith('.cjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return !(typeof pkg === 'object' && pkg !== null && 'type' in pkg && pkg.type === 'module');
    } catch {
      // No package.json here; look further up.
    }
  }
  return true;
}

/**
 * `await import('react')` (a CommonJS package) yields named exports in Node, but esbuild's split
 * chunk for it exports only `default`. Such imports go through a wrapper naming every export, as
 * listed by requiring the package here.
 */
function commonJsNamedExportsPlugin(): Plugin {
  const load = createRequire(join(repoRoot, 'package.json'));
  return {
    name: 'callhome-cjs-named-exports',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData === 'cjs-named') return undefined;
        const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'cjs-named' });
        if (resolved.errors.length > 0 || resolved.external || !isCommonJs(resolved.path)) return undefined;
        return { path: args.path, namespace: 'callhome-cjs-named', pluginData: args.resolveDir };
      });
      b.onLoad({ filter: /.*/, namespace: 'callhome-cjs-named' }, (args) => {
        const names = Object.keys(load(args.path) as object).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
        const lines = [`import m from ${JSON.stringify(args.path)};`, 'export default m;', ...names.map((name) => `export const ${name} = m.${name};`)];
        return { contents: lines.join('\n'), loader: 'js', resolveDir: repoRoot };
      });
    },
  };
}

/** What one build produced. */
export type BuildResult = { readonly outdir: string; readonly entry: string; readonly builtAt: number; readonly files: number };

/** Bundles into `outdir` (emptied first) and writes the build stamp. */
export async function buildBundle(outdir: string = join(repoRoot, 'dist')): Promise<BuildResult> {
  const out = resolve(outdir);
  // Taken before reading any source: a file saved during the build makes the bundle stale.
  const builtAt = Date.now();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const result = await build({
    absWorkingDir: repoRoot,
    // The ingest's parse worker threads and the SQLite database thread load their own entries, beside this one
    // (src/backend/spawn-worker.ts).
    entryPoints: { callhome: join(repoRoot, 'bin/callhome.ts'), 'parse-worker': join(repoRoot, 'src/backend/ingest/parse-worker.ts'), 'sqlite-worker': join(repoRoot, 'src/backend/store/sqlite-worker.ts') },
    outdir: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    splitting: true,
    // Chunks sit beside the entry: sourceLocationPlugin's paths are relative to the outdir.
    chunkNames: '[name]-[hash]',
    sourcemap: 'linked',
    metafile: true,
    // Less to read and parse at start (~5% of the console's start); names kept for errors and stacks.
    minify: true,
    keepNames: true,
    logLevel: 'warning',
    // tui.ts sets NODE_ENV for the unbundled run; in the bundle it is already a constant.
    logOverride: { 'assign-to-define': 'silent' },
    external: [...EXTERNAL_PACKAGES],
    // React and Ink pick their production code paths; the console sets the same at run time.
    define: { 'process.env.NODE_ENV': '"production"' },
    banner: { js: CJS_SHIM },
    // Ink's optional devtools; only loaded when DEV=true, which the product never sets.
    plugins: [sourceLocationPlugin(out), optionalDevtoolsPlugin(), commonJsNamedExportsPlugin()],
  });
  // Chunks are ESM regardless of any package.json above the outdir.
  writeFileSync(join(out, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
  writeFileSync(join(out, BUILD_STAMP_FILE), `${JSON.stringify({ builtAt })}\n`);
  const files = Object.keys(result.metafile.outputs).length;
  return { outdir: out, entry: join(out, 'callhome.js'), builtAt, files };
}

/** `react-devtools-core` is not installed; Ink imports it only under DEV=true, so it resolves to nothing. */
function optionalDevtoolsPlugin(): Plugin {
  return {
    name: 'callhome-optional-devtools',
    setup(b) {
      b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'callhome-empty' }));
      b.onLoad({ filter: /.*/, namespace: 'callhome-empty' }, () => ({
        contents: "throw new Error('react-devtools-core is not part of the callhome bundle');",
        loader: 'js',
      }));
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { outdir: { type: 'string' }, quiet: { type: 'boolean', default: false } } });
  const started = performance.now();
  const result = await buildBundle(values.outdir ?? join(repoRoot, 'dist'));
  if (!values.quiet) {
    const where = relative(process.cwd(), result.entry) || result.entry;
    process.stdout.write(`Built ${where} (${result.files} files) in ${Math.round(performance.now() - started)} ms.\n`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename) await main();
