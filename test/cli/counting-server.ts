// A loopback server that counts what it sees per method and path, for checking brink's numbers.
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export interface CountingServer {
  readonly url: string;
  readonly counts: Map<string, number>;
  total(): number;
  close(): Promise<void>;
}

export async function countingServer(handler?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean): Promise<CountingServer> {
  const counts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const key = `${req.method} ${(req.url ?? '/').split('?')[0]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    req.resume();
    req.on('end', () => {
      if (handler?.(req, res)) return;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
