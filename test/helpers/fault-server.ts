// A loopback HTTP server for integration tests: it counts every request it receives (per method and
// path), records what tests need to inspect (cookies, headers, bodies), tracks how many requests are
// in flight at once, and injects faults on chosen routes. Real sockets, no mocks.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {randomUUID} from 'node:crypto';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  readonly at: number;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void | Promise<void>;

export interface FaultServer {
  readonly url: string;
  readonly port: number;
  /** Every request received, in arrival order. */
  readonly requests: SeenRequest[];
  /** Requests received per `METHOD /path` (path without the query string). */
  count(key: string): number;
  /** All `METHOD /path` keys with their counts. */
  counts(): Map<string, number>;
  /** Requests whose client went away before the response was complete. */
  readonly aborted: number;
  /** Connections accepted since it started. */
  readonly connections: number;
  /** Requests in flight now, and the most at once since the last resetMax(). */
  readonly concurrency: {current: number; max: number};
  resetMax(): void;
  /** Adds or replaces a route (exact pathname, or a prefix ending in `/*`). */
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Built-in routes:
 * - `/ok`                 200 "ok"
 * - `/status/:code`       that status (e.g. /status/500, /status/503, /status/429, /status/404)
 * - `/items/*`            200 JSON `{id}`
 * - `/p/*`                200 "p"
 * - `/slow?ms=N`          200 after N ms (default 1000)
 * - `/hold?ms=N`          200 after N ms (default 100); counted in `concurrency`
 * - `/reset`              destroys the socket before any response byte
 * - `/reset-mid`          sends headers and part of the body, then destroys the socket
 * - `/login`              sets a fresh `session` cookie, 200 JSON `{session}`
 * - `/whoami`             200 with the `session` cookie it received
 * - `/redirect`           sets cookie `hop=1`, 302 to `/landing`
 * - `/landing`            200 "landed"
 * - `/echo`               200 JSON of the parsed body (json, urlencoded form or multipart)
 */
export async function startFaultServer(): Promise<FaultServer> {
  const requests: SeenRequest[] = [];
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const concurrency = {current: 0, max: 0};
  let aborted = 0;
  const routes = new Map<string, Handler>();

  const builtIn: Record<string, Handler> = {
    '/ok': (_req, res) => {
      res.end('ok');
    },
    '/status/*': (_req, res, seen) => {
      const code = Number(seen.path.split('/')[2]);
      res.statusCode = code;
      res.end(`status ${code}`);
    },
    '/items/*': (_req, res, seen) => json(res, {id: seen.path.split('/')[2]}),
    '/p/*': (_req, res) => {
      res.end('p');
    },
    '/slow': async (_req, res, seen) => {
      await sleep(Number(seen.query.get('ms') ?? 1000));
      if (!res.destroyed) res.end('slow');
    },
    '/hold': async (_req, res, seen) => {
      concurrency.current++;
      concurrency.max = Math.max(concurrency.max, concurrency.current);
      try {
        await sleep(Number(seen.query.get('ms') ?? 100));
      } finally {
        concurrency.current--;
      }
      res.end('held');
    },
    '/reset': (req) => {
      req.socket.destroy();
    },
    '/reset-mid': (req, res) => {
      res.writeHead(200, {'content-type': 'text/plain', 'content-length': '1000'});
      res.write('partial body');
      setTimeout(() => req.socket.destroy(), 20);
    },
    '/login': (_req, res) => {
      const session = randomUUID();
      res.setHeader('set-cookie', `session=${session}; Path=/; HttpOnly`);
      json(res, {session});
    },
    '/whoami': (req, res) => json(res, {session: cookieOf(req.headers.cookie, 'session') ?? null}),
    '/redirect': (_req, res) => {
      res.writeHead(302, {'set-cookie': 'hop=1; Path=/', location: '/landing'});
      res.end();
    },
    '/landing': (_req, res) => {
      res.end('landed');
    },
    '/echo': async (req, res, seen) => json(res, await parseBody(req.headers['content-type'], seen.body)),
  };

  function find(path: string): Handler | undefined {
    const exact = routes.get(path) ?? builtIn[path];
    if (exact) return exact;
    const prefix = `/${path.split('/')[1]}/*`;
    return routes.get(prefix) ?? builtIn[prefix];
  }

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks),
      at: Date.now(),
    };
    requests.push(seen);
    const key = `${seen.method} ${seen.path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    res.on('close', () => {
      if (!res.writableFinished) aborted++;
    });
    const handler = find(seen.path);
    try {
      if (handler) await handler(req, res, seen);
      else {
        res.statusCode = 404;
        res.end('no route');
      }
    } catch (error) {
      if (!res.headersSent) res.statusCode = 500;
      res.end(String(error));
    }
  });
  server.keepAliveTimeout = 60_000;
  let connections = 0;
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    count: (key) => counts.get(key) ?? 0,
    counts: () => new Map(counts),
    get aborted() {
      return aborted;
    },
    get connections() {
      return connections;
    },
    concurrency,
    resetMax() {
      concurrency.max = concurrency.current;
    },
    route(path, handler) {
      routes.set(path, handler);
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function json(res: ServerResponse, value: unknown): void {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(value));
}

export function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** Parses a request body the way a web framework would: JSON, urlencoded or multipart. */
export async function parseBody(contentType: string | undefined, body: Buffer): Promise<{type: string; value: any}> {
  const type = contentType ?? '';
  if (type.startsWith('application/json')) return {type: 'json', value: JSON.parse(body.toString('utf8'))};
  if (type.startsWith('application/x-www-form-urlencoded'))
    return {type: 'form', value: Object.fromEntries(new URLSearchParams(body.toString('utf8')))};
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://localhost/', {
      method: 'POST',
      headers: {'content-type': type},
      body: new Uint8Array(body),
    }).formData();
    const value: Record<string, unknown> = {};
    for (const [k, v] of form.entries()) {
      value[k] =
        typeof v === 'string'
          ? v
          : {filename: (v as File).name, type: (v as File).type, text: Buffer.from(await (v as File).arrayBuffer()).toString('utf8')};
    }
    return {type: 'multipart', value};
  }
  return {type: type || 'none', value: body.toString('utf8')};
}

/** A port nothing listens on: bound, then released. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
