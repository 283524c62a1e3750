// A loopback server that counts what it sees per method and path, for checking brink's numbers.
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export interface CountingServer {
  readonly url: string;
  readonly counts: Map<string, number>;
  /** Connections accepted so far. */
  readonly connections: number;
  total(): number;
  close(): Promise<void>;
}

/** `handler` answers a request itself by returning true; `configure` sets the server up (timeouts…) before it listens. */
export async function countingServer(
  handler?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean,
  configure?: (server: http.Server) => void,
): Promise<CountingServer> {
  const counts = new Map<string, number>();
  let connections = 0;
  const server = http.createServer((req, res) => {
    const key = `${req.method} ${(req.url ?? '/').split('?')[0]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    req.resume();
    req.on('end', () => {
      if (handler?.(req, res)) return;
      res.end('ok');
    });
  });
  server.on('connection', () => {
    connections++;
  });
  configure?.(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    get connections() {
      return connections;
    },
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
