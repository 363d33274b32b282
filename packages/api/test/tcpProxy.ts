/**
 * A TCP proxy in process, to take a server away and bring it back: `down()` closes the
 * listening socket and cuts every connection through it (new ones are refused, as from a
 * server that is gone), `up()` listens again on the same port.
 */
import type { Socket, TCPSocketListener } from 'bun';

type Pair = { client: Socket<Pair>; server: Socket<undefined> | null; pending: Uint8Array[] | null };

export type TcpProxy = { readonly port: number; down(): void; up(): void; stop(): void };

export function tcpProxy(targetPort: number, targetHost = '127.0.0.1'): TcpProxy {
  let listener: TCPSocketListener<Pair> | null = null;
  const pairs = new Set<Pair>();
  let port = 0;
  const cut = (p: Pair) => {
    pairs.delete(p);
    p.client.terminate();
    p.server?.terminate();
  };
  const up = () => {
    if (listener) return;
    listener = Bun.listen<Pair>({
      hostname: '127.0.0.1',
      port,
      socket: {
        open(client) {
          const p: Pair = { client, server: null, pending: [] };
          client.data = p;
          pairs.add(p);
          Bun.connect({
            hostname: targetHost,
            port: targetPort,
            socket: {
              data: (_s, d) => void client.write(d),
              close: () => cut(p),
              error: () => cut(p),
            },
          }).then(
            (server) => {
              p.server = server;
              for (const d of p.pending ?? []) server.write(d);
              p.pending = null;
            },
            () => cut(p),
          );
        },
        data(client, d) {
          const p = client.data;
          if (p.pending) p.pending.push(new Uint8Array(d));
          else p.server?.write(d);
        },
        close: (client) => void (client.data && cut(client.data)),
        error: (client) => void (client.data && cut(client.data)),
      },
    });
    port = listener.port;
  };
  const down = () => {
    listener?.stop(true);
    listener = null;
    for (const p of [...pairs]) cut(p);
  };
  up();
  return {
    get port() {
      return port;
    },
    up,
    down,
    stop: down,
  };
}
