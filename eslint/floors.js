// The floors of the architecture (README, "Architecture"): which folder may import which.
//
// Each layer names its folders (or single files, written without extension) and the layers it may
// import besides itself. A file belongs to the layer of the longest path that contains it. Relative
// imports (static, `export … from` and dynamic `import()`) are resolved and checked; packages are not
// (the views' package rule stays in eslint.config.js). `types` lists layers whose types, and only types,
// may be named (`import type`).
//
// While issue 10 moved folders, each layer listed its old paths beside the new ones; the moves have
// landed, so only today's paths remain. A folder that moves changes its path here, in the same commit.

/** @typedef {{ paths: string[], may: string[], types?: string[], why: string }} Layer */

/** @type {Record<string, Layer>} */
export const LAYERS = {
  util: { paths: ['src/util'], may: [], why: 'leaf helpers: import nothing of ours' },
  errors: { paths: ['src/errors'], may: [], why: 'the error classes and exit codes: import nothing of ours' },
  domain: {
    paths: ['src/domain'],
    may: ['util'],
    why: 'the shared model every part speaks: imports nothing of ours but the leaf helpers',
  },
  settings: { paths: ['src/settings', 'src/session'], may: ['errors', 'util'], why: 'user settings and the stored login session (a 0600 token file, never in settings)' },
  events: {
    paths: ['src/events'],
    may: ['domain', 'util', 'errors'],
    why: 'the event-stream protocol shared by the back end and its clients',
  },
  codec: {
    paths: ['src/callhome'],
    may: ['domain', 'util', 'errors'],
    why: 'the Call Home message codec, used by the lab and the back end alike',
  },
  ios: {
    paths: ['src/ios'],
    may: ['domain', 'util', 'errors'],
    why: 'IOS configuration syntax, show-output parsers and the SSH driver: used by the lab and the fleet',
  },
  lab: {
    paths: ['src/lab'],
    may: ['domain', 'util', 'errors', 'codec', 'ios'],
    why: 'the simulated devices never reach into the back end, the fleet side or the console',
  },
  backend: {
    paths: ['src/backend'],
    may: ['domain', 'util', 'errors', 'events', 'codec'],
    why: 'the service knows nothing of the lab, the fleet side, the console or its clients',
  },
  gateway: {
    paths: ['src/gateway'],
    may: ['domain', 'util', 'errors', 'events', 'codec', 'backend'],
    why: 'the Transport Gateway sits in front of the service: it reuses its ingest pieces and protocol (its status reports are part of the event protocol), never the reverse',
  },
  client: {
    // The REST client and the query commands' tables.
    paths: ['src/client'],
    may: ['domain', 'util', 'errors', 'events', 'settings', 'output'],
    why: 'the client side of the API never imports the back end\'s code',
  },
  fleet: {
    paths: ['src/fleet'],
    may: ['domain', 'util', 'errors', 'events', 'settings', 'ios', 'client'],
    why: 'fleet services return values and events: they never print (src/output) nor know commands or the console',
  },
  output: {
    paths: ['src/output'],
    may: ['domain', 'util', 'errors', 'ios'],
    why: 'printers read result types only, never the services that produce them',
  },
  cli: {
    paths: ['src/cli'],
    may: ['domain', 'util', 'errors', 'settings', 'fleet', 'output', 'client'],
    why: 'the yargs option groups and the glue between a command, its service and its printer',
  },
  consoleCore: {
    paths: ['src/console'],
    may: ['domain', 'util', 'errors', 'events', 'settings'],
    types: ['client'],
    why: 'the console core is pure state: no I/O adapters, no views, no services',
  },
  consoleAdapters: {
    paths: ['src/console/adapters'],
    may: ['consoleCore', 'domain', 'util', 'errors', 'events', 'settings', 'client', 'fleet', 'ios'],
    why: 'the console\'s I/O: never the views, the lab, the back end\'s code, printers or commands',
  },
  views: {
    // The Ink entry point (views/tui.ts) lives with the views.
    paths: ['views'],
    may: ['consoleCore', 'domain', 'util', 'events'],
    types: ['consoleAdapters', 'client'],
    why: 'views render state and dispatch intents: no services, no adapters\' code',
  },
  demo: {
    paths: ['src/demo'],
    may: ['domain', 'util', 'errors', 'events', 'settings', 'codec', 'ios', 'lab', 'backend', 'gateway', 'client', 'fleet', 'consoleCore', 'consoleAdapters'],
    why: 'the demo wires the parts together, below the commands and the views',
  },
  commands: {
    paths: ['commands'],
    may: ['domain', 'util', 'errors', 'events', 'settings', 'codec', 'ios', 'lab', 'backend', 'client', 'fleet', 'output', 'cli', 'consoleCore', 'consoleAdapters', 'views', 'demo', 'gateway'],
    why: 'thin yargs modules: anything below them, never the executable',
  },
  bin: { paths: ['bin'], may: ['commands', 'errors', 'util', 'settings', 'cli', 'output'], why: 'the executable' },
};

/**
 * Imports that break a floor today and are being removed; each names its way out.
 * `from` and `to` are file paths without extension.
 */
/** @type {{ from: string, to: string, why: string }[]} */
export const KNOWN_EXCEPTIONS = [];
