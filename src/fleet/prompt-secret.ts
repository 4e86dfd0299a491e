/** Asks for a secret on the terminal without echoing it. */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/** Reads one line from a TTY with echo off; rejects when stdin is not a terminal. */
export function promptSecret(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  if (!input.isTTY) return Promise.reject(new Error('standard input is not a terminal'));
  let muted = false;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) output.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input, output: sink, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      output.write('\n');
      rl.close();
      resolve(answer);
    });
    muted = true;
  });
}
