/**
 * The SSH server of one lab device. A plain net.Server accepts TCP (so the unreachable fault can
 * stop listening and every socket gets setNoDelay) and hands sockets to an ssh2 Server.
 *
 * Authentication: password (`admin`/`admin` by default) or public key; a key is accepted when
 * it is one of `authorizedKeys` (OpenSSH `authorized_keys` lines or public key texts given to the
 * lab). Keyboard-interactive is not offered.
 *
 * Privilege: interactive sessions and exec requests (`ssh host 'show call-home'`) both start in
 * user EXEC (privilege 1), as IOS runs exec requests at the user's privilege. Show commands of
 * the Call Home family are available in user EXEC; configuration needs `enable`.
 */
import net from 'node:net';
import { Duplex } from 'node:stream';
import { timingSafeEqual, createHash } from 'node:crypto';
import ssh2 from 'ssh2';
import type { AuthenticationType, Connection, ParsedKey, ServerChannel } from 'ssh2';
import { newSessionState } from '../ios-cli/index.js';
import type { LabDevice } from '../device.js';
import type { SessionState } from '../types.js';
import { crlf, IosTerminal } from './terminal.js';
import { generateHostKey, type HostKey } from '../persistence.js';

const { Server, utils } = ssh2;

export type DeviceServerOptions = {
  readonly device: LabDevice;
  readonly hostKey: HostKey;
  /** 0 = a free port. */
  readonly port: number;
  readonly username: string;
  readonly password: string;
  /** Public keys allowed to log in (OpenSSH public key lines). */
  readonly authorizedKeys?: readonly string[];
  /** Banner MOTD printed before the first prompt. */
  readonly banner?: string;
  readonly login?: LoginRules;
};

/** How a device treats logins, as IOS does; every field defaults to the IOS default. */
export type LoginRules = {
  /** Pause before a failed password (or key) is answered; default 1 s. */
  readonly failureDelayMs?: number;
  /** Failed authentication attempts before the connection is closed (`ip ssh authentication-retries`, 3). */
  readonly attempts?: number;
  /** Time from TCP connect to a completed login (`ip ssh time-out`, 120 s). */
  readonly timeoutMs?: number;
};

/** IOS defaults of LoginRules. */
export const IOS_LOGIN_RULES: Required<LoginRules> = { failureDelayMs: 1000, attempts: 3, timeoutMs: 120_000 };

export type DeviceServer = {
  readonly port: number;
  /** Open SSH connections. */
  connections(): number;
  close(): Promise<void>;
};

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Parses OpenSSH public key lines; bad lines are skipped (they can never match). */
export function parseAuthorizedKeys(lines: readonly string[]): ParsedKey[] {
  const keys: ParsedKey[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const parsed = utils.parseKey(trimmed);
    if (parsed instanceof Error) continue;
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (key) keys.push(key);
  }
  return keys;
}

/** Starts the server and resolves once it listens. */
export async function startDeviceServer(options: DeviceServerOptions): Promise<DeviceServer> {
  const { device } = options;
  const userDigest = digest(options.username);
  const passwordDigest = digest(options.password);
  const authorized = parseAuthorizedKeys(options.authorizedKeys ?? []);
  const ssh: { normal?: InstanceType<typeof Server>; changed?: InstanceType<typeof Server> } = {};
  const open = new Set<Connection>();
  const sockets = new Set<net.Socket>();

  // ssh2 Servers are created on first use so 1,000 idle devices stay cheap.
  const sshServer = (changed: boolean): InstanceType<typeof Server> => {
    const slot = changed ? 'changed' : 'normal';
    let server = ssh[slot];
    if (!server) {
      const key = changed ? generateHostKey() : options.hostKey;
      server = new Server({ hostKeys: [key.privateKey], ident: 'Cisco-1.25' }, (client) => handleClient(client));
      server.on('error', () => undefined);
      ssh[slot] = server;
    }
    return server;
  };

  const rules = { ...IOS_LOGIN_RULES, ...options.login };

  /** Sockets (as given to ssh2) whose connection logged in: the `ip ssh time-out` no longer applies. */
  const loggedIn = new WeakSet<object>();

  const handleClient = (client: Connection): void => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => undefined);
    let failures = 0;
    /** A refused attempt: answered after the delay, and the connection closed after the last one allowed. */
    const refuse = (reject: () => void): void => {
      failures += 1;
      setTimeout(() => {
        if (failures >= rules.attempts) client.end();
        else reject();
      }, rules.failureDelayMs);
    };
    let commands = 0;
    /** The drop fault fired: the connection is closing, and input already typed ahead runs no more. */
    let dropping = false;
    const commandDone = (): boolean => {
      if (dropping) return false;
      commands += 1;
      const limit = device.faults().dropAfterCommands;
      if (limit !== undefined && commands >= limit) {
        dropping = true;
        setImmediate(() => client.end());
        return commands === limit;
      }
      return true;
    };
    client.on('authentication', (ctx) => {
      const methods: AuthenticationType[] = ['password', 'publickey'];
      try {
        // `none` asks which methods exist; a public key offered without a signature is a query too.
        if (ctx.method === 'none') return ctx.reject(methods);
        // Refused as IOS refuses a wrong password: after the delay (the driver must still call it `auth`).
        if (device.faults().refuseLogin) return refuse(() => ctx.reject([]));
        const userOk = timingSafeEqual(digest(ctx.username), userDigest);
        if (ctx.method === 'password') {
          return userOk && timingSafeEqual(digest(ctx.password), passwordDigest) ? ctx.accept() : refuse(() => ctx.reject(methods));
        }
        if (ctx.method === 'publickey') {
          const match = authorized.find((k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data));
          if (!userOk || !match) return ctx.signature ? refuse(() => ctx.reject(methods)) : ctx.reject(methods);
          if (!ctx.signature) return ctx.accept();
          return match.verify(ctx.blob ?? Buffer.alloc(0), ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : refuse(() => ctx.reject(methods));
        }
        return ctx.reject(methods);
      } catch {
        return refuse(() => ctx.reject(methods));
      }
    });
    client.on('ready', () => {
      // ssh2 keeps the socket it was given; nothing else names the connection's transport.
      const sock = (client as unknown as { _sock?: object })._sock;
      if (sock) loggedIn.add(sock);
      client.on('session', (accept) => {
        const channelSession = accept();
        const state: SessionState = newSessionState();
        channelSession.on('pty', (acceptPty, _reject, info) => {
          if (info.cols > 0) state.terminalWidth = info.cols;
          if (info.rows > 0) state.terminalLength = info.rows;
          acceptPty?.();
        });
        channelSession.on('window-change', (acceptWc, _reject, info) => {
          if (info.cols > 0) state.terminalWidth = info.cols;
          if (info.rows > 0 && state.terminalLength !== 0) state.terminalLength = info.rows;
          acceptWc?.();
        });
        channelSession.on('env', (acceptEnv) => acceptEnv?.());
        channelSession.on('shell', (acceptShell) => {
          const channel = acceptShell();
          runShell(channel, state, commandDone, options.banner);
        });
        channelSession.on('exec', (acceptExec, _reject, info) => {
          const channel = acceptExec();
          void runExec(channel, info.command, commandDone);
        });
      });
    });
  };

  const runShell = (channel: ServerChannel, session: SessionState, commandDone: () => boolean, banner: string | undefined): void => {
    const terminal = new IosTerminal({
      cli: device.cli,
      session,
      write: (text) => {
        if (channel.writable) channel.write(text);
      },
      close: () => {
        channel.exit(0);
        channel.end();
      },
      commandDone,
      delayMs: () => device.faults().slowMs ?? 0,
      typeaheadChars: () => device.faults().typeaheadChars,
      startupInputLostMs: () => device.faults().startupInputLostMs,
      passwordFlushesInput: () => device.faults().passwordFlushesInput === true,
      pauseInput: () => channel.pause(),
      resumeInput: () => channel.resume(),
    });
    channel.on('data', (data: Buffer) => terminal.input(data.toString('utf8')));
    channel.on('close', () => terminal.stop());
    channel.on('error', () => terminal.stop());
    terminal.start(banner);
  };

  const runExec = async (channel: ServerChannel, command: string, commandDone: () => boolean): Promise<void> => {
    const session: SessionState = { ...newSessionState(), terminalLength: 0 };
    try {
      const result = await device.cli.execute(command.trim(), session);
      const slow = device.faults().slowMs ?? 0;
      if (slow > 0) await new Promise((resolve) => setTimeout(resolve, slow));
      if (!commandDone()) return;
      if (channel.writable) channel.write(crlf(result.output));
      channel.exit(result.output.startsWith('%') ? 1 : 0);
    } catch (error) {
      if (channel.writable) channel.write(crlf(`% Internal error: ${(error as Error).message}\n`));
      channel.exit(1);
    }
    channel.end();
  };

  const tcp = net.createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const rtt = device.faults().rttMs ?? 0;
    const transport = rtt > 0 ? withLatency(socket, rtt) : socket;
    // `ip ssh time-out`: a connection that has not logged in by then is closed, handshake or not.
    const loginTimer = setTimeout(() => {
      if (!loggedIn.has(transport)) socket.destroy();
    }, rules.timeoutMs);
    socket.on('close', () => clearTimeout(loginTimer));
    sshServer(device.faults().changedHostKey === true).injectSocket(transport);
  });
  tcp.on('error', () => undefined);

  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      tcp.once('error', onError);
      tcp.listen(port, '127.0.0.1', () => {
        tcp.off('error', onError);
        const address = tcp.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const stopListening = (): Promise<void> => new Promise((resolve) => (tcp.listening ? tcp.close(() => resolve()) : resolve()));

  const port = device.faults().unreachable ? await reservePort(options.port) : await listenAvoidingReserved(listen, stopListening, options.port);
  if (device.faults().unreachable && tcp.listening) await stopListening();
  let transition: Promise<unknown> = Promise.resolve();
  const unsubscribe = device.onFaultsChanged((faults) => {
    // Serialise listen/close so rapid fault flips end in the last state.
    transition = transition.then(async () => {
      if (faults.unreachable && tcp.listening) {
        for (const s of sockets) s.destroy();
        await stopListening();
      } else if (!faults.unreachable && !tcp.listening) {
        await listen(port).catch(() => undefined);
      }
    });
  });

  return {
    port,
    connections: () => open.size,
    close: async () => {
      unsubscribe();
      await transition;
      for (const s of sockets) s.destroy();
      await stopListening();
      reservedPorts.delete(port);
    },
  };
}

/**
 * The socket as seen over a slow link: what the device writes reaches the client `rttMs` later (the
 * whole round trip is put on the way back, so each request/response costs one RTT). Order is kept:
 * timers of equal delay fire in the order they were set.
 */
function withLatency(socket: net.Socket, rttMs: number): net.Socket {
  const link = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, done) {
      setTimeout(() => {
        if (!socket.destroyed) socket.write(chunk);
      }, rttMs);
      done();
    },
    final(done) {
      setTimeout(() => socket.end(), rttMs);
      done();
    },
    destroy(error, done) {
      setTimeout(() => socket.destroy(), rttMs);
      done(error);
    },
  });
  socket.on('data', (data: Buffer) => {
    if (!link.push(data)) socket.pause();
  });
  socket.on('end', () => link.push(null));
  socket.on('close', () => link.destroy());
  link.on('error', () => undefined);
  Object.assign(link, { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort, remoteFamily: socket.remoteFamily });
  // ssh2 needs only the stream and the remote address of a socket.
  return link as unknown as net.Socket;
}

/**
 * Ports held for devices that are unreachable: closed, so connections are refused, but no other lab
 * device may take one, or a push to the unreachable device would reach another device instead.
 */
const reservedPorts = new Set<number>();

/** Listens on `port`; on an OS-chosen port that another device holds in reserve, chooses again. */
async function listenAvoidingReserved(listen: (port: number) => Promise<number>, stop: () => Promise<void>, port: number): Promise<number> {
  for (;;) {
    const bound = await listen(port);
    if (port !== 0 || !reservedPorts.has(bound)) return bound;
    await stop();
  }
}

/** A port for a device that starts unreachable: the requested one, or a free one found by binding briefly. */
async function reservePort(port: number): Promise<number> {
  if (port !== 0) return port;
  const free = await new Promise<number>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const chosen = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(chosen));
    });
  });
  reservedPorts.add(free);
  return free;
}
