import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pino from 'pino';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { startBackend, type Backend, type BackendOptions } from '../src/backend/server.js';
import { describeDb } from '../src/backend/store/open-store.js';
import { DatabaseInUse } from '../src/backend/store/sqlite-store.js';
import { isSingleAddress } from '../src/backend/processing/notify.js';
import { COUNT, numberOption, PORT } from '../src/cli/options.js';
import { AbortError } from '../src/errors.js';
import { readTokenFile } from '../src/settings.js';

export type ServeOptions = {
  httpPort: number;
  smtpPort?: number | undefined;
  db: string;
  token?: string | undefined;
  tokenFile?: string | undefined;
  json: boolean;
  httpsCert?: string | undefined;
  httpsKey?: string | undefined;
  httpsSelfSigned: boolean;
  relay?: string | undefined;
  supportEmail?: string | undefined;
  rules?: string | undefined;
  host: string;
  /** Names the API and /events answer to besides the listen address and localhost (Host / Origin check). */
  serverName?: string[] | undefined;
  maxConnections?: number | undefined;
  maxConnectionsPerAddress?: number | undefined;
  maxSmtpConnections?: number | undefined;
  maxPendingMib?: number | undefined;
  smtpDataTimeout?: number | undefined;
  parseWorkers?: number | undefined;
  /** SQLite in a database thread of its own (default), or on the event loop's thread (false: longer stalls, fewer messages per second). */
  sqliteThread?: boolean | undefined;
  /** Days of messages and events kept; older ones are purged hourly in small batches. */
  retentionDays?: number | undefined;
  /** Hours a personal token from `callhome login` lives (default 168). */
  tokenTtlHours?: number | undefined;
};

export type ServeDeps = {
  readonly stdout: (t: string) => void;
  readonly stderr: (t: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Resolves when the process should stop (SIGINT/SIGTERM by default). */
  readonly until: () => Promise<void>;
};

/** SCH Support's mailbox for internal alerts (S62): exactly one address. */
function parseSupportEmail(address: string): string {
  if (!isSingleAddress(address.trim())) throw new AbortError(`--support-email "${address}" is not one e-mail address.`, 'Give the SCH Support mailbox, for example --support-email sch-support@example.com.');
  return address.trim();
}

function parseRelay(relay: string): { host: string; port: number } {
  const m = /^([^:]+)(?::(\d+))?$/.exec(relay);
  const port = Number(m?.[2] ?? 25);
  if (!m?.[1] || port < 1 || port > 65535) throw new AbortError(`--relay "${relay}" is not host:port.`, 'Give the SMTP relay as host:port, for example --relay 127.0.0.1:2525.');
  return { host: m[1], port };
}

/**
 * Builds the back-end options from the flags. The token comes from --token-file, $CALLHOME_TOKEN or
 * --token (argv is visible to every local user in `ps`; prefer the first two), else one is generated.
 */
export function serveOptions(opts: ServeOptions, env: NodeJS.ProcessEnv): { options: BackendOptions; generatedToken: boolean } {
  if (opts.token && opts.tokenFile) throw new AbortError('Give the token once: --token or --token-file.', 'Prefer --token-file or $CALLHOME_TOKEN; a token on the command line is visible in `ps`.');
  // An empty --token or CALLHOME_TOKEN counts as unset: an empty bearer token is never accepted.
  const given = (opts.tokenFile ? readTokenFile(opts.tokenFile) : undefined) || opts.token || env['CALLHOME_TOKEN'] || undefined;
  // The numbers were checked as the flags were read (numberOption).
  const { maxPendingMib, smtpDataTimeout } = opts;
  const limits = {
    ...(opts.maxConnections !== undefined ? { maxHttpConnections: opts.maxConnections } : {}),
    ...(opts.maxConnectionsPerAddress !== undefined ? { maxHttpConnectionsPerAddress: opts.maxConnectionsPerAddress } : {}),
    ...(opts.maxSmtpConnections !== undefined ? { maxSmtpConnections: opts.maxSmtpConnections } : {}),
    ...(maxPendingMib !== undefined ? { maxPendingBytes: maxPendingMib * 1024 * 1024 } : {}),
    ...(smtpDataTimeout !== undefined ? { smtpDataTimeoutMs: smtpDataTimeout * 1000 } : {}),
  };
  const token = given ?? randomBytes(24).toString('base64url');
  let https: BackendOptions['https'];
  if (opts.httpsSelfSigned) https = 'self-signed';
  else if (opts.httpsCert || opts.httpsKey) {
    if (!opts.httpsCert || !opts.httpsKey) throw new AbortError('--https-cert and --https-key go together.', 'Give both files, or use --https-self-signed for a demo certificate.');
    try {
      https = { cert: readFileSync(opts.httpsCert, 'utf8'), key: readFileSync(opts.httpsKey, 'utf8') };
    } catch (e) {
      throw new AbortError(`Cannot read the HTTPS certificate or key: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return {
    generatedToken: given === undefined,
    options: {
      dbPath: opts.db,
      httpPort: opts.httpPort,
      smtpPort: opts.smtpPort ?? null,
      host: opts.host,
      token,
      ...(https ? { https } : {}),
      ...(opts.relay ? { relay: parseRelay(opts.relay) } : {}),
      ...(opts.supportEmail !== undefined ? { supportEmail: parseSupportEmail(opts.supportEmail) } : {}),
      ...(opts.rules ? { rulesFile: opts.rules } : {}),
      ...(opts.serverName?.length ? { serverNames: opts.serverName } : {}),
      ...(opts.parseWorkers !== undefined ? { parseWorkers: opts.parseWorkers } : {}),
      ...(opts.sqliteThread === false ? { sqliteOnMainThread: true } : {}),
      ...(opts.retentionDays !== undefined ? { retentionDays: opts.retentionDays } : {}),
      ...(opts.tokenTtlHours !== undefined ? { tokenTtlMs: opts.tokenTtlHours * 3_600_000 } : {}),
      limits,
    },
  };
}

/** Runs the back end until `deps.until` resolves. */
export async function runServe(opts: ServeOptions, deps: ServeDeps): Promise<void> {
  const { options, generatedToken } = serveOptions(opts, deps.env);
  const logger = pino({ level: deps.env['CALLHOME_LOG_LEVEL'] ?? 'info', redact: ['token', 'req.headers.authorization'] }, pino.destination(2));
  let backend: Backend;
  try {
    backend = await startBackend({ ...options, logger });
  } catch (e) {
    if (e instanceof AbortError) throw e;
    if (e instanceof DatabaseInUse) throw new AbortError(`The back end cannot start: ${e.message}`, 'Stop the other `callhome serve`, or give this one another --db.');
    const code = e instanceof Error && 'code' in e ? String(e.code) : '';
    throw new AbortError(`The back end cannot start: ${e instanceof Error ? e.message : String(e)}`, code === 'EADDRINUSE' ? 'Another process holds the port; pick another with --http-port / --smtp-port (0 picks a free one).' : 'Check --db and the ports.');
  }
  // Printed once, to stderr only, so it never lands in logs or in the JSON on stdout.
  if (generatedToken) deps.stderr(`API token (set CALLHOME_TOKEN to reuse it): ${options.token}\n`);
  if (opts.json) deps.stdout(`${JSON.stringify({ event: 'ready', http: backend.httpPort, smtp: backend.smtpPort })}\n`);
  else deps.stdout(`callhome back end listening: ${backend.url} (devices POST to /its/service/oddce/services/DDCEService)${backend.smtpPort !== null ? `, SMTP on port ${backend.smtpPort}` : ''}; database ${describeDb(opts.db)}\n`);
  await deps.until();
  await backend.close();
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** `callhome serve`: Run the Smart Call Home back end. */
export const serveCommand: CommandModule<object, ServeOptions> = {
  command: 'serve',
  describe: 'Run the Smart Call Home back end',
  builder: (y: Argv) =>
    y
      .option('http-port', { ...numberOption('--http-port', PORT, 'HTTP(S) port for devices, the API and /events (0 = free port)'), default: 8080 })
      .option('smtp-port', numberOption('--smtp-port', { ...PORT, example: 2525 }, 'SMTP port for e-mailed messages (0 = free port; default: no SMTP)'))
      .option('db', { type: 'string', default: 'callhome.db', describe: 'SQLite database file, or postgres://user@host:port/db (password from PGPASSWORD or ~/.pgpass); replicas may share one PostgreSQL' })
      .option('token-file', { type: 'string', describe: 'File whose first line is the API token (preferred; or $CALLHOME_TOKEN)' })
      .option('token', { type: 'string', describe: 'Bootstrap API token (an SCH administrator) on the command line (visible in ps; prefer --token-file or $CALLHOME_TOKEN). Without any, one is generated and printed to stderr' })
      .option('token-ttl-hours', numberOption('--token-ttl-hours', { ...COUNT, unit: 'hours', example: 168 }, 'Hours a personal token from `callhome login` lives (default 168)'))
      .option('json', { type: 'boolean', default: false, describe: 'Print {"event":"ready",...} on one line when listening' })
      .option('https-cert', { type: 'string', describe: 'PEM certificate for HTTPS' })
      .option('https-key', { type: 'string', describe: 'PEM private key for HTTPS' })
      .option('https-self-signed', { type: 'boolean', default: false, describe: 'Serve HTTPS with a generated self-signed certificate (demo)' })
      .option('relay', { type: 'string', describe: 'SMTP relay host:port for notification e-mail (default: record only)' })
      .option('support-email', { type: 'string', describe: 'SCH Support mailbox for internal alerts (default sch-support@callhome.local)' })
      .option('rules', { type: 'string', describe: 'Rules file (YAML; default: the shipped rules)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on' })
      .option('retention-days', numberOption('--retention-days', { ...COUNT, unit: 'days', example: 92 }, 'Days of messages and events kept (default 92, three months); older ones are purged hourly in small batches'))
      .option('server-name', { type: 'string', array: true, describe: 'Host name the API and /events answer to (repeat; the listen address, IP literals and localhost always work)' })
      .option('max-connections', numberOption('--max-connections', { ...COUNT, example: 1024 }, 'Concurrent HTTP(S) connections in total (default 1024)'))
      .option('max-connections-per-address', numberOption('--max-connections-per-address', { ...COUNT, example: 512 }, 'Concurrent HTTP(S) connections from one address, such as devices behind one NAT or gateway (default 512)'))
      .option('max-smtp-connections', numberOption('--max-smtp-connections', { ...COUNT, example: 256 }, 'Concurrent SMTP connections (default 256; one more gets 421)'))
      .option('max-pending-mib', numberOption('--max-pending-mib', { ...COUNT, example: 256 }, 'MiB of request bodies and mails held before they are answered, all together (default 256; over it: 503 / SMTP 451)'))
      .option('parse-workers', numberOption('--parse-workers', { whole: true, min: 0, example: 1 }, 'Worker threads that parse incoming messages (default: cores − 1; 0, the default on one core, parses bodies up to 32 KiB on the main thread; larger bodies and mails get one more thread)'))
      .option('sqlite-thread', { type: 'boolean', default: true, describe: 'SQLite runs in a database thread of its own (each ingest group commit one request to it), so no query or commit stalls the service; --no-sqlite-thread runs it on the main thread (stalls of tens of ms, and fewer messages per second)' })
      .option('smtp-data-timeout', numberOption('--smtp-data-timeout', { ...COUNT, unit: 'seconds', example: 300 }, 'Seconds one SMTP DATA may take in total (default 300; then 421)'))
      .conflicts('https-self-signed', ['https-cert', 'https-key'])
      .conflicts('token', 'token-file') as unknown as Argv<ServeOptions>,
  handler: (argv: ArgumentsCamelCase<ServeOptions>) =>
    runServe(argv, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env, until: untilSignal }),
};
