/**
 * Exec-channel mode: one command per SSH exec request (`ssh host 'show call-home'`), no shell, no
 * prompt. IOS runs exec requests at the login's privilege, so this suits show commands that user
 * EXEC allows; configuration needs an IosSession.
 */
import { connectSsh, type ConnectOptions, type SshTarget } from './connect.js';
import { CliError, DeviceError } from './errors.js';
import { cleanTerminalText, findErrorLine } from './prompt.js';

/** Runs one command over an exec channel and returns its output; `%` errors throw CliError. */
export async function execOnce(target: SshTarget, command: string, options: ConnectOptions & { readonly commandTimeoutMs: number }): Promise<string> {
  const connection = await connectSsh(target, options);
  try {
    const output = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new DeviceError('timeout', `${target.name}: no end of "${command}" within ${options.commandTimeoutMs} ms`)), options.commandTimeoutMs);
      connection.client.exec(command, (error, channel) => {
        if (error) {
          clearTimeout(timer);
          reject(new DeviceError('unreachable', `${target.name}: the device refused an exec channel (${error.message})`));
          return;
        }
        let text = '';
        channel.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        channel.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        channel.on('close', () => {
          clearTimeout(timer);
          resolve(cleanTerminalText(text).replace(/\n+$/, ''));
        });
      });
    });
    const errorLine = findErrorLine(output);
    if (errorLine) throw new CliError(command, errorLine, output);
    return output;
  } finally {
    connection.close();
  }
}
