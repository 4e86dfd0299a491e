/**
 * An ssh2 server that logs in straight to `R1#` and answers each line with scripted pieces: strings
 * are written as they are (each one its own channel write), numbers are pauses in milliseconds. It
 * stands for a hostile or odd device: huge outputs, prompt-like lines inside outputs, a device that
 * drops typed-ahead input.
 */
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { makeHostKey } from './fake-ios.js';

const { Server } = ssh2;

export type Piece = string | number;
export type Script = (line: string) => Piece[] | undefined;

export type HostileIos = { port: number; hostKey: Buffer; received: string[]; close(): Promise<void> };

export async function startHostileIos(script: Script, options: { prompt?: string } = {}): Promise<HostileIos> {
  const prompt = options.prompt ?? 'R1#';
  const key = makeHostKey();
  const received: string[] = [];
  const server = new Server({ hostKeys: [key.private] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => (ctx.method === 'password' && ctx.password === 'admin' ? ctx.accept() : ctx.reject(['password'])));
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('pty', (ok) => ok?.());
        session.on('shell', (ok) => {
          const stream = ok();
          stream.on('error', () => undefined);
          let pending = '';
          let chain: Promise<void> = Promise.resolve();
          const play = async (pieces: Piece[]) => {
            for (const piece of pieces) {
              if (typeof piece === 'number') await new Promise((r) => setTimeout(r, piece));
              else if (stream.writable) stream.write(piece);
            }
          };
          stream.on('data', (data: Buffer) => {
            pending += data.toString('utf8');
            let index: number;
            while ((index = pending.search(/[\r\n]/)) >= 0) {
              const line = pending.slice(0, index);
              pending = pending.slice(index + 1).replace(/^\n/, '');
              received.push(line);
              const pieces = script(line) ?? [`${prompt}`];
              chain = chain.then(() => play([`${line}\r\n`, ...pieces]));
            }
          });
          stream.write(`\r\n${prompt}`);
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hostKey: key.public,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
