/** A loopback ssh2 server acting as a bastion: password auth, forwards direct-tcpip channels. */
import net, { type AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { makeHostKey } from '../ios/driver/fake-ios.js';

export type Bastion = { port: number; hostKey: Buffer; forwarded: string[]; close(): Promise<void> };

/** Starts a bastion that accepts `user`/`password` and forwards to any loopback port. */
export async function startBastion(user: string, password: string): Promise<Bastion> {
  const key = makeHostKey();
  const forwarded: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = new ssh2.Server({ hostKeys: [key.private] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && ctx.username === user && ctx.password === password) ctx.accept();
      else ctx.reject(['password']);
    });
    client.on('tcpip', (accept, _reject, info) => {
      forwarded.push(`${info.destIP}:${info.destPort}`);
      const channel = accept();
      const socket = net.connect(info.destPort, info.destIP);
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('error', () => channel.close());
      socket.on('close', () => sockets.delete(socket));
      channel.pipe(socket).pipe(channel);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hostKey: key.public,
    forwarded,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
