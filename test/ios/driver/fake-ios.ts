/**
 * A small ssh2 server that plays an IOS prompt dialogue, for driver tests until the lab fleet is used.
 * It is a test double with exact behaviour: banner, user EXEC, enable, config sub-mode prompts,
 * `%` errors, the `copy run start` question, and a slow mode.
 */
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { generateSshKeyPair } from '../../../src/util/ssh-keys.js';

const { Server, utils } = ssh2;

export type FakeIosOptions = {
  hostname?: string;
  password?: string;
  enableSecret?: string;
  banner?: string;
  /** Delay before each reply, ms. */
  slowMs?: number;
  /** Canned exec outputs. */
  outputs?: Record<string, string>;
  /** Restrict the server to these algorithms (an old IOS image). */
  algorithms?: ssh2.Algorithms;
};

export type FakeIos = {
  port: number;
  hostKey: Buffer;
  /** Every line received, in order. */
  received: string[];
  /** The authentication methods clients tried, in order (`none` included). */
  authMethods: string[];
  close(): Promise<void>;
};

/** Generates an ed25519 host key in OpenSSH format. */
export function makeHostKey(): { private: string; public: Buffer } {
  const pair = generateSshKeyPair('ed25519');
  const parsed = utils.parseKey(pair.publicKey);
  if (parsed instanceof Error) throw parsed;
  return { private: pair.privateKey, public: parsed.getPublicSSH() };
}


/** Starts the fake device on 127.0.0.1, port 0. */
export async function startFakeIos(options: FakeIosOptions = {}): Promise<FakeIos> {
  const hostname = options.hostname ?? 'R1';
  const key = makeHostKey();
  const received: string[] = [];
  const authMethods: string[] = [];
  const server = new Server({ hostKeys: [key.private], ...(options.algorithms ? { algorithms: options.algorithms } : {}) }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      authMethods.push(ctx.method);
      if (ctx.method === 'password' && ctx.username === 'admin' && ctx.password === (options.password ?? 'admin')) ctx.accept();
      else ctx.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('pty', (ok) => ok?.());
        session.on('shell', (ok) => {
          const stream = ok();
          let mode: 'user' | 'exec' | 'config' | 'call-home' | 'profile' | 'enable-password' | 'confirm' = 'user';
          const prompt = () => {
            const short = hostname.slice(0, 20);
            switch (mode) {
              case 'user':
                return `${hostname}>`;
              case 'exec':
                return `${hostname}#`;
              case 'config':
                return `${short}(config)#`;
              case 'call-home':
                return `${short}(cfg-call-home)#`;
              case 'profile':
                return `${short}(cfg-call-home-profile)#`;
              default:
                return '';
            }
          };
          const reply = (text: string) => {
            const send = () => stream.write(text);
            if (options.slowMs) setTimeout(send, options.slowMs);
            else send();
          };
          const handle = (line: string): string => {
            received.push(line);
            if (mode === 'enable-password') {
              mode = line === (options.enableSecret ?? 'cisco') ? 'exec' : 'user';
              return mode === 'user' ? `% Access denied\r\n\r\n${prompt()}` : `\r\n${prompt()}`;
            }
            if (mode === 'confirm') {
              mode = 'exec';
              return `\r\nBuilding configuration...\r\n[OK]\r\n${prompt()}`;
            }
            const echo = `${line}\r\n`;
            if (line === 'enable' && mode === 'user') {
              mode = 'enable-password';
              return `${echo}Password: `;
            }
            if (line.startsWith('terminal ')) return `${echo}${prompt()}`;
            if (line === 'configure terminal' && mode === 'exec') {
              mode = 'config';
              return `${echo}Enter configuration commands, one per line.  End with CNTL/Z.\r\n${prompt()}`;
            }
            if (line === 'end' && mode !== 'exec' && mode !== 'user') {
              mode = 'exec';
              return `${echo}${prompt()}`;
            }
            if (line === 'call-home' && mode === 'config') {
              mode = 'call-home';
              return `${echo}${prompt()}`;
            }
            if (line.startsWith('profile ') && mode === 'call-home') {
              mode = 'profile';
              return `${echo}${prompt()}`;
            }
            if (line === 'exit' && mode === 'profile') {
              mode = 'call-home';
              return `${echo}${prompt()}`;
            }
            if (line === 'copy running-config startup-config' && mode === 'exec') {
              mode = 'confirm';
              return `${echo}Destination filename [startup-config]? `;
            }
            if (mode !== 'exec' && mode !== 'user' && (line.startsWith('contact-email-addr ') || line.startsWith('destination ') || line === 'active')) {
              return `${echo}${prompt()}`;
            }
            const canned = options.outputs?.[line];
            if (canned !== undefined) return `${echo}${canned.replace(/\n/g, '\r\n')}\r\n${prompt()}`;
            if (line === 'sh') return `${echo}% Ambiguous command:  "sh"\r\n${prompt()}`;
            return `${echo}${' '.repeat(prompt().length)}^\r\n% Invalid input detected at '^' marker.\r\n\r\n${prompt()}`;
          };
          let pending = '';
          stream.on('data', (data: Buffer) => {
            pending += data.toString('utf8');
            let index: number;
            while ((index = pending.search(/[\r\n]/)) >= 0) {
              const line = pending.slice(0, index);
              pending = pending.slice(index + 1).replace(/^\n/, '');
              if (line === 'exit' && (mode === 'exec' || mode === 'user')) {
                stream.close();
                return;
              }
              reply(handle(line.trim()));
            }
          });
          reply(`${options.banner ? `${options.banner.replace(/\n/g, '\r\n')}\r\n` : ''}\r\n${prompt()}`);
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hostKey: key.public,
    received,
    authMethods,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
