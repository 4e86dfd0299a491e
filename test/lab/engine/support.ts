/** Test parts for the Call Home engine: a small EngineHost, and real HTTP/SMTP/proxy listeners on loopback. */
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { generate } from 'selfsigned';
import { defaultCallHomeConfig, newUserProfile, type CallHomeConfig, type Profile } from '../../../src/domain/callhome.js';
import type { DeviceIdentity, EngineHost } from '../../../src/lab/types.js';

export const IDENTITY: DeviceIdentity = {
  name: 'r1',
  hostname: 'R1',
  serial: '9S1NMSF22DW',
  model: 'CSR1000V',
  series: 'CSR1000v Cloud Services Router',
  softwareVersion: '17.3.4a',
  hardwareVersion: 'V01',
  partNumber: '800-12345-01',
  systemObjectId: '1.3.6.1.4.1.9.1.1537',
};

/** Running config the fake device prints; carries everything data privacy must scrub. */
export const RUNNING_CONFIG = [
  'hostname R1',
  'enable secret 9 $9$abcdefSECRET',
  'username admin privilege 15 password 0 adminpass',
  'ip domain name corp.example.com',
  'interface GigabitEthernet1',
  ' ip address 10.1.1.1 255.255.255.0',
  'snmp-server community public RO',
  'call-home',
  ' contact-email-addr noc@example.com',
].join('\n');

export type TestHost = EngineHost & {
  readonly logs: string[];
  readonly captured: string[];
  setConfig(config: CallHomeConfig): void;
};

/** A host whose capture returns canned output ending with the prompt, as IOS does. */
export function makeHost(config: CallHomeConfig, options: { now?: () => Date; smtpPort?: number; captureDelayMs?: number } = {}): TestHost {
  let current = config;
  const logs: string[] = [];
  const captured: string[] = [];
  return {
    identity: IDENTITY,
    smtpPort: options.smtpPort ?? 25,
    logs,
    captured,
    config: () => current,
    setConfig(c) {
      current = c;
    },
    now: options.now ?? (() => new Date()),
    log: (line) => logs.push(line),
    async capture(command) {
      captured.push(command);
      const body = command.startsWith('show running-config') || command === 'show startup-config' ? RUNNING_CONFIG : `output of ${command}\nProcessor board ID ${IDENTITY.serial}`;
      return `${command}\n${body}\nR1#`;
    },
  };
}

/** Service on, contact set, plus the given user profiles (CiscoTAC-1 stays inactive). */
export function configWith(profiles: Profile[], patch: Partial<CallHomeConfig> = {}): CallHomeConfig {
  const base = defaultCallHomeConfig(IDENTITY.serial);
  return { ...base, serviceEnabled: true, contactEmail: 'noc@example.com', profiles: [...base.profiles, ...profiles], ...patch };
}

/** A user profile posting XML to `url`, subscribed as given. */
export function httpProfile(name: string, url: string, patch: Partial<Profile> = {}): Profile {
  return { ...newUserProfile(name), transportEmail: false, transportHttp: true, httpUrls: [url], ...patch };
}

/** A user profile mailing `to`. */
export function mailProfile(name: string, to: string[], patch: Partial<Profile> = {}): Profile {
  return { ...newUserProfile(name), emailAddresses: to, ...patch };
}

export type Received = { readonly method: string; readonly url: string; readonly headers: http.IncomingHttpHeaders; readonly body: string };

export type HttpSink = { readonly url: string; readonly port: number; readonly received: Received[]; status: number; close(): Promise<void> };

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if ('closeAllConnections' in server && typeof server.closeAllConnections === 'function') server.closeAllConnections();
    server.close(() => resolve());
  });
}

function sinkHandler(sink: { received: Received[]; status: number }) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      sink.received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(sink.status).end();
    });
  };
}

/** An HTTP (or self-signed HTTPS) server recording every request and answering `status`. */
export async function startHttpSink(options: { tls?: boolean } = {}): Promise<HttpSink> {
  const state = { received: [] as Received[], status: 200 };
  let server: http.Server;
  if (options.tls) {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048 });
    server = https.createServer({ key: pems.private, cert: pems.cert }, sinkHandler(state));
  } else server = http.createServer(sinkHandler(state));
  const port = await listen(server);
  const scheme = options.tls ? 'https' : 'http';
  return {
    url: `${scheme}://127.0.0.1:${port}/its/service/oddce/services/DDCEService`,
    port,
    received: state.received,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    close: () => closeServer(server),
  };
}

export type Mail = { readonly from: string; readonly replyTo: string; readonly to: string; readonly subject: string; readonly text: string; readonly server: string };
export type SmtpSink = { readonly port: number; readonly mails: Mail[]; readonly connections: string[]; close(): Promise<void> };

/** An SMTP server on loopback that keeps every message it accepts. */
export async function startSmtpSink(label: string, host = '127.0.0.1', port = 0): Promise<SmtpSink> {
  const mails: Mail[] = [];
  const connections: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(_session, cb) {
      connections.push(label);
      cb();
    },
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then((m) => {
          mails.push({
            from: m.from?.text ?? '',
            replyTo: m.replyTo?.text ?? '',
            to: Array.isArray(m.to) ? m.to.map((a) => a.text).join(', ') : (m.to?.text ?? ''),
            subject: m.subject ?? '',
            text: m.text ?? '',
            server: label,
          });
          cb();
        })
        .catch((error: unknown) => cb(error instanceof Error ? error : new Error(String(error))));
    },
  });
  const bound = await new Promise<number>((resolve) => server.listen(port, host, () => resolve((server.server.address() as AddressInfo).port)));
  return { port: bound, mails, connections, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A port nothing listens on (bound once, then released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await closeServer(server);
  return port;
}

export type Proxy = { readonly port: number; readonly requests: string[]; close(): Promise<void> };

/** A forward proxy: absolute-URI requests for http, CONNECT tunnels for https. */
export async function startProxy(): Promise<Proxy> {
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    const target = new URL(req.url ?? '');
    const upstream = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    requests.push(`CONNECT ${req.url ?? ''}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream).add(client);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const port = await listen(server);
  return {
    port,
    requests,
    close: () => {
      for (const s of sockets) s.destroy();
      return closeServer(server);
    },
  };
}
