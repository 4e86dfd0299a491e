/**
 * Opens an authenticated ssh2 connection to one device: TCP with Nagle off, optional jump host,
 * host-key check on every connection, connect timeout, and retries for connection failures only.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { Client, type Algorithms, type AuthenticationType, type AuthHandlerMiddleware, type ConnectConfig } from 'ssh2';
import { DeviceError, isRetryableConnectError } from './errors.js';

/** Old IOS images only speak these (per device or group: `legacy-algorithms: true`). */
export const LEGACY_ALGORITHMS: Algorithms = {
  kex: {
    append: ['diffie-hellman-group14-sha1', 'diffie-hellman-group1-sha1'],
    prepend: [],
    remove: [],
  },
  cipher: { append: ['aes128-cbc', 'aes256-cbc', '3des-cbc'], prepend: [], remove: [] },
  serverHostKey: { append: ['ssh-rsa'], prepend: [], remove: [] },
};

/** Decides about a presented host key: null accepts it, a DeviceError('hostkey') refuses it. */
export type HostKeyCheck = (key: Buffer) => DeviceError | null;

/** How to authenticate; secrets stay in memory only. */
export type SshCredentials = {
  readonly username: string;
  readonly password?: string | undefined;
  readonly privateKey?: Buffer | string | undefined;
  readonly passphrase?: string | undefined;
  /** ssh-agent socket (SSH_AUTH_SOCK). */
  readonly agent?: string | undefined;
};

/** Where and how to connect. */
export type SshTarget = {
  /** Name used in messages (the inventory name). */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly credentials: SshCredentials;
  readonly checkHostKey: HostKeyCheck;
  readonly legacyAlgorithms?: boolean | undefined;
  /** Reach the device through this host (forwardOut). */
  readonly jump?: SshTarget | undefined;
};

export type ConnectOptions = {
  /**
   * TCP connect, then the SSH key exchange, milliseconds. The answer to the credentials gets this
   * again, and at least AUTH_ANSWER_MIN_MS: a device may answer a refused password late.
   */
  readonly connectTimeoutMs: number;
  /** Attempts for connection failures (refused, timed out before authentication); default 3. */
  readonly attempts?: number;
  /** First back-off delay; doubles per attempt. Default 200 ms. */
  readonly backoffMs?: number;
};

/** An open connection plus whatever it rides on (a jump host), closed together. */
export type SshConnection = {
  readonly client: Client;
  close(): void;
};

function tcpConnect(host: string, port: number, name: string, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new DeviceError('timeout', `${name}: no TCP connection to ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new DeviceError('unreachable', `${name}: cannot connect to ${host}:${port} (${error.code ?? error.message})`));
    });
  });
}

function forwardThrough(jump: SshConnection, target: SshTarget): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    jump.client.forwardOut('127.0.0.1', 0, target.host, target.port, (error, stream) => {
      if (error) {
        reject(new DeviceError('unreachable', `${target.name}: the jump host cannot reach ${target.host}:${target.port} (${error.message})`));
      } else resolve(stream);
    });
  });
}

/**
 * Least time the device gets to answer the credentials once keys are exchanged. IOS answers a refused
 * password after about 1 s, and a client offering the password and then keyboard-interactive can be
 * refused twice: a short connect timeout must not turn that refusal into a timeout.
 */
export const AUTH_ANSWER_MIN_MS = 5000;

/**
 * The login methods in ssh2's order, without its opening `none` request: that request only asks the
 * server which methods it takes, costing a round trip, and IOS (as any SSH server) takes a password
 * or key offered first (paramiko, and so Netmiko, log in to IOS that way). After a refusal, methods
 * the server did not list are skipped.
 */
function authMethods(credentials: SshCredentials): AuthHandlerMiddleware {
  const methods: AuthenticationType[] = [];
  if (credentials.password !== undefined) methods.push('password');
  if (credentials.privateKey !== undefined) methods.push('publickey');
  if (credentials.agent !== undefined) methods.push('agent');
  if (credentials.password !== undefined) methods.push('keyboard-interactive');
  let next = 0;
  return (methodsLeft, _partialSuccess, done) => {
    // ssh2 passes null before the first answer; a server that listed none leaves every method to try.
    const left = methodsLeft as AuthenticationType[] | null;
    while (next < methods.length) {
      const method = methods[next++] as AuthenticationType;
      const wire = method === 'agent' ? 'publickey' : method;
      if (left === null || left.length === 0 || left.includes(wire)) return done(method);
    }
    // ssh2 takes false for "no method left" (its typings omit it).
    (done as unknown as (auth: false) => void)(false);
  };
}

function handshake(target: SshTarget, sock: Duplex, timeoutMs: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let hostKeyRefusal: DeviceError | null = null;
    const { credentials } = target;
    const config: ConnectConfig = {
      sock,
      username: credentials.username,
      // Our own timers below: ssh2's readyTimeout would cut the answer to the credentials short.
      readyTimeout: 0,
      keepaliveInterval: 0,
      tryKeyboard: credentials.password !== undefined,
      authHandler: authMethods(credentials),
      hostVerifier: (key: Buffer): boolean => {
        hostKeyRefusal = target.checkHostKey(key);
        return hostKeyRefusal === null;
      },
      ...(credentials.password !== undefined ? { password: credentials.password } : {}),
      ...(credentials.privateKey !== undefined ? { privateKey: credentials.privateKey } : {}),
      ...(credentials.passphrase !== undefined ? { passphrase: credentials.passphrase } : {}),
      ...(credentials.agent !== undefined ? { agent: credentials.agent } : {}),
      ...(target.legacyAlgorithms ? { algorithms: LEGACY_ALGORITHMS } : {}),
    };
    let settled = false;
    const timeout = (why: string) => () => {
      if (settled) return;
      settled = true;
      client.end();
      sock.destroy();
      reject(new DeviceError('timeout', `${target.name}: ${why}`));
    };
    let timer = setTimeout(timeout(`no SSH handshake with ${target.host}:${target.port} within ${timeoutMs} ms`), timeoutMs);
    // Keys exchanged: the credentials go out now, and their answer gets its own time.
    client.once('handshake', () => {
      clearTimeout(timer);
      const answerMs = Math.max(timeoutMs, AUTH_ANSWER_MIN_MS);
      timer = setTimeout(timeout(`no answer to the login as "${credentials.username}" from ${target.host}:${target.port} within ${answerMs} ms`), answerMs);
    });
    const onError = (error: Error & { level?: string }) => {
      // ssh2 may emit more than one error (a reset, then its handshake timeout); only the first decides, none may go unhandled.
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.end();
      if (hostKeyRefusal) reject(hostKeyRefusal);
      else if (error.level === 'client-authentication') {
        reject(new DeviceError('auth', `${target.name}: authentication as "${credentials.username}" failed at ${target.host}:${target.port}`));
      } else if (/no matching/i.test(error.message) && !target.legacyAlgorithms) {
        reject(
          new DeviceError(
            'unreachable',
            `${target.name}: ${target.host}:${target.port} offers no algorithm we enable by default (${error.message}); old IOS images need \`legacy-algorithms: true\` in the inventory`,
          ),
        );
      } else {
        reject(new DeviceError('unreachable', `${target.name}: SSH to ${target.host}:${target.port} failed (${error.message})`));
      }
    };
    const onReady = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(client);
    };
    client.once('ready', onReady);
    client.on('error', onError);
    // A device that hangs up without a word (no error from ssh2) must not wait for a timer.
    client.once('close', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new DeviceError('unreachable', `${target.name}: ${target.host}:${target.port} closed the connection before the login completed`));
    });
    // Many IOS images ask for the password through keyboard-interactive.
    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
      finish(prompts.map(() => credentials.password ?? ''));
    });
    client.connect(config);
  });
}

async function connectOnce(target: SshTarget, timeoutMs: number): Promise<SshConnection> {
  const jump = target.jump ? await connectOnce(target.jump, timeoutMs) : undefined;
  try {
    const sock: Duplex = jump ? await forwardThrough(jump, target) : await tcpConnect(target.host, target.port, target.name, timeoutMs);
    const client = await handshake(target, sock, timeoutMs);
    // Errors after the handshake surface through the session; keep them from crashing the process.
    client.on('error', () => undefined);
    return {
      client,
      close: () => {
        client.end();
        jump?.close();
      },
    };
  } catch (error) {
    jump?.close();
    throw error;
  }
}

/** The last connection failure, saying what was tried in all (a silent host costs every attempt). */
function afterAttempts(error: DeviceError, attempts: number, timeoutMs: number, delays: readonly number[], startedAt: number): DeviceError {
  const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;
  const waits = delays.length === 0 ? '' : `, ${delays.map(seconds).join(' and ')} apart`;
  return new DeviceError(error.kind, `${error.message} (${attempts} attempts of up to ${seconds(timeoutMs)} each${waits}; ${seconds(performance.now() - startedAt)} in all)`);
}

/** Connects and authenticates, retrying with exponential back-off only while nothing was sent to the device. */
export async function connectSsh(target: SshTarget, options: ConnectOptions): Promise<SshConnection> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const startedAt = performance.now();
  const delays: number[] = [];
  let delay = options.backoffMs ?? 200;
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectOnce(target, options.connectTimeoutMs);
    } catch (error) {
      if (attempt >= attempts || !isRetryableConnectError(error)) {
        throw attempt > 1 && error instanceof DeviceError ? afterAttempts(error, attempt, options.connectTimeoutMs, delays, startedAt) : error;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delays.push(delay);
      delay *= 2;
    }
  }
}
