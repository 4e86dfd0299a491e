/**
 * `callhome gateway`: the Transport Gateway (S81–S88). Without an action it runs: device HTTP posts and
 * SMTP mail are queued durably in --queue-dir and forwarded to the service. The actions manage it.
 */
import { readFileSync } from 'node:fs';
import pino from 'pino';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { numberOption, PORT, SECONDS, withBackendOptions } from '../src/cli/options.js';
import { AbortError } from '../src/errors.js';
import { configDir, readTokenFile } from '../src/settings.js';
import { readSessionToken } from '../src/session.js';
import { credentialsStore, readCredentials, writeCredentials } from '../src/gateway/credentials.js';
import { sendFlag, startGateway } from '../src/gateway/gateway.js';
import { send, type HttpTarget } from '../src/gateway/http-post.js';
import { GATEWAY_AUTH_HEADER, GATEWAY_PING_PATH, gatewayAuth } from '../src/backend/gateway/protocol.js';
import { parseMailboxUrl, type MailboxAddress } from '../src/gateway/mailbox.js';
import { openQueue, type QueueEntry } from '../src/gateway/queue.js';
import { exportLogs, listLogFiles, logDir, openGatewayLogs } from '../src/gateway/logs.js';
import type { StoreFullMailOptions } from '../src/gateway/store-full-mail.js';

export const GATEWAY_ACTIONS = ['run', 'register', 'test-connection', 'list', 'reset-password', 'delete', 'held', 'send', 'drop', 'send-flag', 'logs'] as const;
export type GatewayAction = (typeof GATEWAY_ACTIONS)[number];

export type GatewayCommandOptions = {
  action: GatewayAction;
  ids?: (number | string)[] | undefined;
  backend?: string | undefined;
  token?: string | undefined;
  tokenFile?: string | undefined;
  name?: string | undefined;
  httpPort: number;
  smtpPort?: number | undefined;
  host: string;
  queueDir: string;
  proxy?: string | undefined;
  caFile?: string | undefined;
  /** Longest pause between forwarding attempts while the service is unreachable, seconds. */
  retryMax: number;
  maxStoreMib?: number | undefined;
  mailbox?: string | undefined;
  mailboxPasswordFile?: string | undefined;
  /** register: the company whose administrators manage the gateway. */
  company?: string | undefined;
  /** logs: write every kept log file into this zip. */
  export?: string | undefined;
  /** Administrators mailed when the store is full (S85). */
  storeFullMail?: string[] | undefined;
  mailServer?: string | undefined;
  mailFrom?: string | undefined;
  json: boolean;
};

export type GatewayDeps = {
  readonly stdout: (t: string) => void;
  readonly stderr: (t: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Resolves when a running gateway should stop (SIGINT/SIGTERM by default). */
  readonly until: () => Promise<void>;
};

function parseUrl(flag: string, value: string, schemes: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AbortError(`--${flag} "${value}" is not a URL.`, `Give it as ${schemes.map((s) => `${s}//host:port`).join(' or ')}.`);
  }
  if (!schemes.includes(url.protocol)) throw new AbortError(`--${flag} must be ${schemes.join(' or ')} (got ${url.protocol}).`);
  return url;
}

/** Where the gateway forwards to, from the flags. */
export function gatewayTarget(opts: Pick<GatewayCommandOptions, 'backend' | 'proxy' | 'caFile'>, env: NodeJS.ProcessEnv): HttpTarget {
  const backend = opts.backend ?? env['CALLHOME_BACKEND'];
  if (!backend) throw new AbortError('The gateway needs the service URL.', 'Give --backend https://service:port (or set $CALLHOME_BACKEND).');
  let ca: string | undefined;
  if (opts.caFile) {
    try {
      ca = readFileSync(opts.caFile, 'utf8');
    } catch (e) {
      throw new AbortError(`Cannot read --ca-file: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { backend: parseUrl('backend', backend, ['http:', 'https:']), ...(opts.proxy ? { proxy: parseUrl('proxy', opts.proxy, ['http:']) } : {}), ...(ca ? { ca } : {}) };
}

function entryIds(opts: GatewayCommandOptions): number[] {
  const ids = (opts.ids ?? []).map((v) => Number(v));
  const bad = ids.filter((n) => !Number.isInteger(n) || n < 1);
  if (ids.length === 0 || bad.length > 0) throw new AbortError(`callhome gateway ${opts.action} needs queue IDs (whole numbers) or "all".`, 'List them with `callhome gateway held`.');
  return ids;
}

function entryLine(e: QueueEntry): string {
  return `${String(e.id).padStart(6)}  ${e.receivedAt}  ${e.state.padEnd(7)}  ${(e.serial || '-').padEnd(14)}  ${(e.messageId || '-').padEnd(24)}  ${e.lastError ?? ''}\n`;
}

/** The entries an action names: `all` means every held (and refused) one. */
function selected(opts: GatewayCommandOptions, held: readonly QueueEntry[]): number[] {
  if (opts.ids?.length === 1 && String(opts.ids[0]) === 'all') return held.map((e) => e.id);
  return entryIds(opts);
}

/** An administrator's token: --token-file, $CALLHOME_TOKEN, --token, or the one `callhome login` stored. */
function adminToken(opts: GatewayCommandOptions, env: NodeJS.ProcessEnv): string {
  const backend = (opts.backend ?? env['CALLHOME_BACKEND'] ?? '').replace(/\/+$/, '');
  // Last, the personal token `callhome login` stored for this back end.
  const token = (opts.tokenFile ? readTokenFile(opts.tokenFile) : undefined) || env['CALLHOME_TOKEN'] || opts.token || (backend ? readSessionToken(configDir(env), backend) : undefined);
  if (!token) throw new AbortError(`callhome gateway ${opts.action} needs the token of an Administrator of the gateway's company.`, 'Run `callhome login USER`, give --token-file FILE or set $CALLHOME_TOKEN.');
  return token;
}

/** One admin API call; the answer's JSON, or an AbortError with the service's reason. */
async function adminCall(opts: GatewayCommandOptions, env: NodeJS.ProcessEnv, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
  const target = gatewayTarget(opts, env);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  let answer;
  try {
    answer = await send({ ...target, timeoutMs: 15_000 }, method, `/api/v1${path}`, { authorization: `Bearer ${adminToken(opts, env)}`, ...(payload ? { 'content-type': 'application/json' } : {}) }, payload);
  } catch (e) {
    throw new AbortError(`The service at ${target.backend.origin} cannot be reached: ${e instanceof Error ? e.message : String(e)}`, 'Check --backend and --proxy.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    parsed = answer.body;
  }
  if (answer.status >= 300) {
    const reason = typeof parsed === 'object' && parsed !== null && 'reason' in parsed ? String((parsed as { reason: unknown }).reason) : answer.body.slice(0, 300);
    throw new AbortError(`The service refused: HTTP ${answer.status}: ${reason}`, answer.status === 401 ? 'Check the token (or log in again).' : answer.status === 403 ? "Gateways are managed by an Administrator of the gateway's company." : undefined);
  }
  return parsed;
}

type Issued = { id: string; name: string; password: string; registeredAt: string; company?: string | null };

export async function runGateway(opts: GatewayCommandOptions, deps: GatewayDeps): Promise<void> {
  switch (opts.action) {
    case 'register': {
      if (!opts.name) throw new AbortError('callhome gateway register needs --name.', 'Name the gateway after its site, e.g. --name branch-17.');
      const existing = readCredentials(opts.queueDir);
      if (existing) throw new AbortError(`${opts.queueDir} already holds gateway ${existing.id} (${existing.name}).`, 'Use another --queue-dir, or reset-password to get a new password for this one.');
      const issued = (await adminCall(opts, deps.env, 'POST', '/gateways', { name: opts.name, ...(opts.company ? { company: opts.company } : {}) })) as Issued;
      writeCredentials(opts.queueDir, issued);
      if (opts.json) deps.stdout(`${JSON.stringify({ id: issued.id, name: issued.name, company: issued.company ?? null, registeredAt: issued.registeredAt })}\n`);
      else deps.stdout(`Gateway ${issued.name} registered as ${issued.id} at ${issued.registeredAt}; its password is in ${opts.queueDir}/credentials.json (mode 0600).\n`);
      return;
    }
    case 'reset-password': {
      const mine = readCredentials(opts.queueDir);
      const id = opts.ids?.[0] !== undefined ? String(opts.ids[0]) : mine?.id;
      if (!id) throw new AbortError('callhome gateway reset-password needs the gateway ID (or --queue-dir of a registered gateway).');
      const issued = (await adminCall(opts, deps.env, 'POST', `/gateways/${encodeURIComponent(id)}/reset-password`)) as Issued;
      // The new password goes where that gateway reads it; never to the terminal.
      const stored = mine?.id === id;
      if (stored) writeCredentials(opts.queueDir, issued);
      if (opts.json) deps.stdout(`${JSON.stringify({ id, reset: true, stored })}\n`);
      else deps.stdout(stored ? `Password of gateway ${id} reset; the new one is in ${opts.queueDir}/credentials.json.\n` : `Password of gateway ${id} reset. Run this command with that gateway's --queue-dir to store the new one there.\n`);
      return;
    }
    case 'list': {
      const r = (await adminCall(opts, deps.env, 'GET', '/gateways')) as { gateways: { id: string; name: string; registeredAt: string; lastSeenAt: string | null; passwordRotatesAt: string; passwordExpired: boolean }[] };
      if (opts.json) return deps.stdout(`${JSON.stringify(r)}\n`);
      deps.stdout(r.gateways.length === 0 ? 'No gateways registered.\n' : r.gateways.map((g) => `${g.id}  ${g.name.padEnd(20)}  registered ${g.registeredAt}  last seen ${g.lastSeenAt ?? 'never'}${g.passwordExpired ? '  PASSWORD EXPIRED' : ''}\n`).join(''));
      return;
    }
    case 'delete': {
      const id = opts.ids?.[0];
      if (id === undefined) throw new AbortError('callhome gateway delete needs the gateway ID.', 'List them with `callhome gateway list`.');
      await adminCall(opts, deps.env, 'DELETE', `/gateways/${encodeURIComponent(String(id))}`);
      deps.stdout(opts.json ? `${JSON.stringify({ deleted: String(id) })}\n` : `Gateway ${String(id)} deleted.\n`);
      return;
    }
    case 'test-connection': {
      const target = gatewayTarget(opts, deps.env);
      const c = readCredentials(opts.queueDir);
      let answer;
      try {
        answer = await send({ ...target, timeoutMs: 10_000 }, 'GET', GATEWAY_PING_PATH, c ? { [GATEWAY_AUTH_HEADER]: gatewayAuth(c.id, c.password) } : {});
      } catch (e) {
        throw new AbortError(`The service at ${target.backend.origin} cannot be reached${target.proxy ? ` through ${target.proxy.host}` : ''}: ${e instanceof Error ? e.message : String(e)}`, 'Check --backend, --proxy and the network.');
      }
      if (answer.status !== 200) throw new AbortError(`The service answered HTTP ${answer.status}: ${answer.body.slice(0, 300)}`, answer.status === 401 ? 'Register the gateway again, or ask an administrator to reset its password.' : undefined);
      if (opts.json) deps.stdout(`${JSON.stringify({ ok: true, backend: target.backend.origin, gateway: c?.id ?? null })}\n`);
      else deps.stdout(`Connection to ${target.backend.origin} OK${c ? ` (gateway ${c.id})` : ''}.\n`);
      return;
    }
    case 'send-flag': {
      const value = opts.ids?.[0] === undefined ? undefined : String(opts.ids[0]);
      const queue = openQueue(opts.queueDir);
      try {
        if (value !== undefined) {
          if (value !== 'yes' && value !== 'no') throw new AbortError(`The Send flag is yes or no (got "${value}").`);
          queue.setSetting('send', value);
        }
        const flag = sendFlag(queue) ? 'yes' : 'no';
        deps.stdout(opts.json ? `${JSON.stringify({ send: flag })}\n` : `Send flag: ${flag}${flag === 'no' ? ' (new messages are held for `callhome gateway send`)' : ''}.\n`);
      } finally {
        queue.close();
      }
      return;
    }
    case 'held':
    case 'send':
    case 'drop': {
      const queue = openQueue(opts.queueDir);
      try {
        const waiting = [...queue.list('held'), ...queue.list('refused')].sort((a, b) => a.id - b.id);
        if (opts.action === 'held') {
          if (opts.json) deps.stdout(`${JSON.stringify({ entries: waiting.map(({ body, ...e }) => ({ ...e, bytes: body.length })), counts: queue.counts() })}\n`);
          else deps.stdout(waiting.length === 0 ? 'No messages are waiting for manual action.\n' : `    ID  Received                  State    Serial          Message ID                Reason\n${waiting.map(entryLine).join('')}`);
          return;
        }
        const ids = selected(opts, waiting);
        const chosen = waiting.filter((e) => ids.includes(e.id));
        const n = opts.action === 'send' ? queue.setState(ids, 'queued', null) : queue.drop(ids);
        // The operator's action goes into the communication log beside what the running gateway writes.
        const logs = openGatewayLogs(logDir(opts.queueDir));
        try {
          for (const e of chosen) logs.write('communication', { subject: e.subject, blockId: String(e.id), messageId: e.messageId, serial: e.serial, status: opts.action === 'send' ? 'released by an operator' : 'dropped by an operator' });
        } finally {
          logs.close();
        }
        if (opts.json) deps.stdout(`${JSON.stringify({ [opts.action === 'send' ? 'released' : 'dropped']: n })}\n`);
        else deps.stdout(opts.action === 'send' ? `${n} message(s) queued for forwarding.\n` : `${n} message(s) deleted.\n`);
      } finally {
        queue.close();
      }
      return;
    }
    case 'logs': {
      const dir = logDir(opts.queueDir);
      if (opts.export) {
        let files;
        try {
          files = await exportLogs(dir, opts.export);
        } catch (e) {
          throw new AbortError(`Cannot write ${opts.export}: ${e instanceof Error ? e.message : String(e)}`);
        }
        if (opts.json) deps.stdout(`${JSON.stringify({ exported: opts.export, files: files.map(({ path: _p, ...f }) => f) })}\n`);
        else deps.stdout(`${files.length} log file(s) written to ${opts.export}.\n`);
        return;
      }
      const files = listLogFiles(dir);
      if (opts.json) deps.stdout(`${JSON.stringify({ dir, files: files.map(({ path: _p, ...f }) => f) })}\n`);
      else deps.stdout(files.length === 0 ? `No gateway logs in ${dir}.\n` : `Logs in ${dir} (weekly, kept three months):\n${files.map((f) => `  ${f.name}  ${f.bytes} bytes\n`).join('')}`);
      return;
    }
    case 'run':
      return runForwarding(opts, deps);
  }
}

/** The mailbox to poll, from --mailbox and its password (--mailbox-password-file or $CALLHOME_MAILBOX_PASSWORD). */
function mailboxOption(opts: GatewayCommandOptions, env: NodeJS.ProcessEnv): { address: MailboxAddress; password: string } | undefined {
  if (!opts.mailbox) return undefined;
  let address: MailboxAddress;
  try {
    address = parseMailboxUrl(opts.mailbox);
  } catch (e) {
    throw new AbortError(e instanceof Error ? e.message : String(e));
  }
  const password = (opts.mailboxPasswordFile ? readTokenFile(opts.mailboxPasswordFile) : undefined) || env['CALLHOME_MAILBOX_PASSWORD'];
  if (!password) throw new AbortError('--mailbox needs the account password.', 'Give --mailbox-password-file FILE or set $CALLHOME_MAILBOX_PASSWORD.');
  return { address, password };
}

/** --store-full-mail ADDR… with --mail-server HOST[:PORT] and --mail-from. */
function storeFullMailOption(opts: GatewayCommandOptions): StoreFullMailOptions | undefined {
  const to = (opts.storeFullMail ?? []).flatMap((a) => a.split(',')).map((a) => a.trim()).filter(Boolean);
  if (to.length === 0) return undefined;
  if (opts.maxStoreMib === undefined) throw new AbortError('--store-full-mail needs --max-store-mib (without a maximum the store is never full).');
  const bad = to.find((a) => !/^[^@\s]+@[^@\s]+$/.test(a));
  if (bad) throw new AbortError(`--store-full-mail "${bad}" is not an e-mail address.`);
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(opts.mailServer ?? '127.0.0.1:25');
  if (!m) throw new AbortError(`--mail-server "${opts.mailServer ?? ''}" is not HOST or HOST:PORT.`);
  return { to, server: { host: (m[1] ?? '').replace(/^\[|\]$/g, ''), port: Number(m[2] ?? 25) }, ...(opts.mailFrom ? { from: opts.mailFrom } : {}) };
}

async function runForwarding(opts: GatewayCommandOptions, deps: GatewayDeps): Promise<void> {
  const target = gatewayTarget(opts, deps.env);
  const mailbox = mailboxOption(opts, deps.env);
  const storeFullMail = storeFullMailOption(opts);
  const logger = pino({ level: deps.env['CALLHOME_LOG_LEVEL'] ?? 'info' }, pino.destination(2));
  const credentials = credentialsStore(opts.queueDir);
  let gateway;
  try {
    gateway = await startGateway({
      queueDir: opts.queueDir,
      target,
      httpPort: opts.httpPort,
      smtpPort: opts.smtpPort ?? null,
      host: opts.host,
      credentials: () => credentials.get(),
      onNewPassword: (p) => credentials.rotate(p),
      logger,
      ...(opts.maxStoreMib !== undefined ? { maxStoreBytes: opts.maxStoreMib * 1024 * 1024 } : {}),
      ...(mailbox ? { mailbox } : {}),
      ...(storeFullMail ? { storeFullMail } : {}),
      name: readCredentials(opts.queueDir)?.name ?? opts.queueDir,
      minBackoffMs: Math.min(1_000, opts.retryMax * 1000),
      maxBackoffMs: opts.retryMax * 1000,
    });
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? String(e.code) : '';
    throw new AbortError(`The gateway cannot start: ${e instanceof Error ? e.message : String(e)}`, code === 'EADDRINUSE' ? 'Another process holds the port; pick another with --http-port / --smtp-port (0 picks a free one).' : 'Check --queue-dir and the ports.');
  }
  const counts = gateway.queue.counts();
  if (opts.json) deps.stdout(`${JSON.stringify({ event: 'ready', http: gateway.httpPort, smtp: gateway.smtpPort, mailbox: mailbox ? `${mailbox.address.user}@${mailbox.address.host}:${mailbox.address.port}/${mailbox.address.folder}` : null, queued: counts.queued, held: counts.held })}\n`);
  else deps.stdout(`callhome gateway forwarding to ${target.backend.origin}${target.proxy ? ` through ${target.proxy.host}` : ''}: HTTP on ${gateway.httpPort ?? '-'}, SMTP on ${gateway.smtpPort ?? '-'}; queue ${opts.queueDir} (${counts.queued} queued, ${counts.held} held)\n`);
  await deps.until();
  await gateway.close();
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** `callhome gateway`: run or manage a Transport Gateway. */
export const gatewayCommand: CommandModule<object, GatewayCommandOptions> = {
  command: 'gateway [action] [ids..]',
  describe: 'Run a Transport Gateway (store-and-forward to the service) or manage its queue',
  builder: (y: Argv) =>
    withBackendOptions(y)
      .positional('action', { choices: GATEWAY_ACTIONS, default: 'run' as const, describe: 'run (default), register (--name), test-connection, list, reset-password [ID], delete ID (admin, API token), held (what waits for manual action), send IDS|all, drop IDS|all, send-flag [yes|no], logs [--export FILE.zip]' })
      .positional('ids', { type: 'string', array: true, describe: 'Queue IDs for send / drop (or "all"); the gateway ID for reset-password / delete' })
      .option('name', { type: 'string', describe: 'Gateway name (for registration)' })
      .option('http-port', { ...numberOption('--http-port', { ...PORT, example: 8088 }, 'Port devices post Call Home XML to (0 = free port)'), default: 8088 })
      .option('smtp-port', numberOption('--smtp-port', { ...PORT, example: 2525 }, 'Port devices mail Call Home messages to (default: no SMTP intake)'))
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on' })
      .option('queue-dir', { type: 'string', default: 'callhome-gateway', describe: 'Directory of the durable queue and the gateway credentials' })
      .option('proxy', { type: 'string', describe: 'HTTP proxy to reach the service, http://[user:password@]host:port' })
      .option('ca-file', { type: 'string', describe: "PEM CA certificate(s) to trust for the service's HTTPS" })
      .option('retry-max', { ...numberOption('--retry-max', { ...SECONDS, example: 60 }, 'Longest pause in seconds between forwarding attempts while the service is unreachable (back-off doubles from 1 s)'), default: 60 })
      .option('mailbox', { type: 'string', describe: 'Mailbox devices mail to, polled every 3 s: imap://user@host:port/INBOX (imaps:// for TLS)' })
      .option('mailbox-password-file', { type: 'string', describe: 'File whose first line is the mailbox password (or $CALLHOME_MAILBOX_PASSWORD)' })
      .option('max-store-mib', numberOption('--max-store-mib', { min: 0, above: true, unit: 'MiB', example: 512 }, 'Largest queue in MiB; when full, devices get HTTP 503 / SMTP 452 and retry (default: no limit)'))
      .option('store-full-mail', { type: 'string', array: true, describe: "Administrators' addresses mailed when the store is full (needs --max-store-mib; default: no mail)" })
      .option('mail-server', { type: 'string', describe: 'Mail server for the store-full mail, HOST[:PORT] (default 127.0.0.1:25)' })
      .option('mail-from', { type: 'string', describe: 'Sender of the store-full mail (default callhome-gateway@HOSTNAME)' })
      .option('company', { type: 'string', describe: 'register: the company whose administrators manage the gateway' })
      .option('export', { type: 'string', describe: 'logs: write the weekly communication and retrieval logs into this zip file' })
      .option('json', { type: 'boolean', default: false, describe: 'JSON output (run: one {"event":"ready"} line)' }) as unknown as Argv<GatewayCommandOptions>,
  handler: (argv: ArgumentsCamelCase<GatewayCommandOptions>) => runGateway(argv, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env, until: untilSignal }),
};
