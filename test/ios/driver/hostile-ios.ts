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

/**
 * `typeahead: false`: a device that throws away input that arrives with (or while) a line runs,
 * as one whose terminal input buffer overflows would; Ctrl-U erases the line typed so far.
 */
export async function startHostileIos(script: Script, options: { prompt?: string; typeahead?: boolean } = {}): Promise<HostileIos> {
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
          const play = async (pieces: Piece[]) => {
            for (const piece of pieces) {
              if (typeof piece === 'number') await new Promise((r) => setTimeout(r, piece));
              else if (stream.writable) stream.write(piece);
            }
          };
          let busy = false;
          // Typed-ahead characters not yet echoed (a device echoes them once it reads the next line).
          let echoed = 0;
          const next = (): void => {
            const index = pending.search(/[\r\n]/);
            if (index < 0) {
              if (pending.length > echoed && stream.writable) stream.write(pending.slice(echoed));
              echoed = pending.length;
              return;
            }
            const line = pending.slice(0, index);
            pending = pending.slice(index + 1).replace(/^\n/, '');
            // A device without type-ahead keeps only what fits its (tiny) buffer.
            if (options.typeahead === false) pending = pending.slice(0, 5);
            received.push(line);
            const pieces = script(line) ?? [`${prompt}`];
            busy = true;
            const echo = line.slice(echoed);
            echoed = 0;
            void play([`${echo}\r\n`, ...pieces]).then(() => {
              busy = false;
              next();
            });
          };
          stream.on('data', (data: Buffer) => {
            if (options.typeahead === false && busy) return;
            for (const ch of data.toString('utf8')) {
              if (ch === '\x15') {
                if (!busy && echoed > 0 && stream.writable) stream.write('\b \b'.repeat(echoed));
                pending = '';
                echoed = 0;
              } else pending += ch;
            }
            if (!busy) next();
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
