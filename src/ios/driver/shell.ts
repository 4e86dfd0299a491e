/**
 * Opens the interactive shell of a session channel with its pty-req and shell requests sent back to
 * back, as OpenSSH's client does (both asking for a reply, the replies then come in order), instead
 * of ssh2's Client.shell, which waits for the pty reply before asking for the shell: one round trip
 * less per session. RFC 4254 lets a client send channel requests without waiting (replies come in
 * request order), and IOS serves OpenSSH clients that way every day.
 *
 * ssh2 has no public call for this, so it goes through two of its internals (the protocol object's
 * pty() and shell(), and the channel's reply queue); when a release lacks them, Client.shell is used.
 */
import type { Client, ClientChannel, PseudoTtyOptions } from 'ssh2';

type ProtocolInternals = {
  pty(channel: number, rows: number, cols: number, height: number, width: number, term: string, modes: null, wantReply: boolean): void;
  shell(channel: number, wantReply: boolean): void;
};

type ChannelInternals = { _callbacks?: ((failed: boolean) => void)[]; outgoing?: { id?: number; state?: string } };

/** The channel object ssh2 made for the remote channel number, from its channel table (internals). */
function channelOf(client: Client, remoteId: number): ClientChannel | null {
  const table = (client as unknown as { _chanMgr?: { _channels?: Record<string, unknown> } })._chanMgr?._channels;
  for (const value of Object.values(table ?? {})) {
    const channel = value as ChannelInternals & Partial<ClientChannel>;
    if (typeof value === 'object' && channel.outgoing?.id === remoteId && channel.outgoing.state === 'open' && typeof channel.write === 'function') return value as ClientChannel;
  }
  return null;
}

function protocolOf(client: Client): ProtocolInternals | null {
  const protocol = (client as unknown as { _protocol?: Partial<ProtocolInternals> })._protocol;
  return protocol && typeof protocol.pty === 'function' && typeof protocol.shell === 'function' ? (protocol as ProtocolInternals) : null;
}

/** Why a shell could not be had, for the caller's message. */
export class ShellRefused extends Error {}

export type OpenedShell = {
  readonly channel: ClientChannel;
  /** True when `typeAhead` went out right behind the shell request. */
  readonly typedAhead: boolean;
};

/**
 * The shell channel. `typeAhead` is written in the same flight as the requests (channel data may
 * follow them at once). `onLateRefusal` hears of a shell request refused after the channel was handed
 * over (the pty reply answers first); the channel is closed then.
 */
export function openShell(
  client: Client,
  pty: PseudoTtyOptions & { readonly term: string; readonly cols: number; readonly rows: number },
  onLateRefusal: () => void,
  typeAhead?: string,
): Promise<OpenedShell> {
  const protocol = protocolOf(client);
  if (!protocol) {
    return new Promise((resolve, reject) => client.shell(pty, (error, channel) => (error ? reject(new ShellRefused(error.message)) : resolve({ channel, typedAhead: false }))));
  }
  let typedAhead = false;
  return new Promise((resolve, reject) => {
    const own = Object.prototype.hasOwnProperty.call(protocol, 'shell');
    const shell = protocol.shell;
    // ssh2 queues the shell's reply callback, then calls protocol.shell: the pty request goes first, in the same write.
    protocol.shell = (channel: number, wantReply: boolean): void => {
      if (own) protocol.shell = shell;
      else delete (protocol as Partial<ProtocolInternals>).shell;
      protocol.pty(channel, pty.rows, pty.cols, pty.height ?? 480, pty.width ?? 640, pty.term, null, true);
      shell.call(protocol, channel, wantReply);
      if (typeAhead === undefined) return;
      const stream = channelOf(client, channel);
      if (!stream) return;
      stream.write(typeAhead);
      typedAhead = true;
    };
    client.shell(false, (error, stream) => {
      if (error) {
        reject(new ShellRefused(error.message.replace('Unable to open shell', 'the pty or shell request was refused')));
        return;
      }
      // That callback took the pty's reply; the shell's own reply is next.
      (stream as unknown as ChannelInternals)._callbacks?.push((failed) => {
        if (!failed) return;
        onLateRefusal();
        stream.close();
      });
      resolve({ channel: stream, typedAhead });
    });
  });
}
