// Loopback servers built to misbehave, for the reliability tests. Raw TCP (net.Server) so the tests can
// write exactly the bytes a broken server would: garbage status lines, bad chunking, lying lengths,
// resets (RST) at chosen moments, silence. Every server counts the connections it accepted, the ones
// open now and the most open at once, so a test can tell whether brink leaks sockets.
import {createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket} from 'node:net';
import {createServer as createHttpServer, type Server as HttpServer} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** What a misbehaving server does with one request, once its head (and, unless `onHead` acted, its body) arrived. */
export interface Behaviour {
  /** Acts as soon as the request head arrived, before any body; return true when it dealt with the request. */
  onHead?(socket: Socket, req: RawRequest): boolean;
  respond(socket: Socket, req: RawRequest): void;
}

export interface Counted {
  readonly url: string;
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Connections open now. */
  readonly open: number;
  /** The most connections open at once since the start (or resetMax()). */
  readonly maxOpen: number;
  resetMax(): void;
  /** Requests whose head arrived (TLS servers: handshakes that completed). */
  readonly requests: number;
  close(): Promise<void>;
}

/** Tracks a server's sockets: accepted, open now, most at once. */
function tracker() {
  const sockets = new Set<Socket>();
  const t = {
    sockets,
    accepted: 0,
    maxOpen: 0,
    requests: 0,
    add(socket: Socket) {
      t.accepted++;
      sockets.add(socket);
      t.maxOpen = Math.max(t.maxOpen, sockets.size);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {}); // resets from the client side are expected
    },
  };
  return t;
}

async function listen(server: NetServer | HttpServer, port = 0, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

function closer(server: NetServer | HttpServer, sockets: Set<Socket>): () => Promise<void> {
  return () => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  };
}

const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD = 64 * 1024;

/**
 * A raw HTTP/1.1 server: parses request heads (and Content-Length bodies), then lets `behaviour` write what it likes.
 * `host`: another loopback address (127.0.0.2) makes another origin on another host.
 */
export async function startRawServer(behaviour: Behaviour, host = '127.0.0.1'): Promise<Counted> {
  const t = tracker();
  const server = createNetServer((socket) => {
    t.add(socket);
    let buffer: Buffer = Buffer.alloc(0);
    let waiting: {req: RawRequest; bodyLeft: number} | undefined;
    let busy = false; // a request is being answered (or ignored): later bytes wait
    const parse = () => {
      while (!busy && !socket.destroyed) {
        if (waiting) {
          const take = Math.min(waiting.bodyLeft, buffer.length);
          waiting.bodyLeft -= take;
          buffer = buffer.subarray(take);
          if (waiting.bodyLeft > 0) return;
          const {req} = waiting;
          waiting = undefined;
          busy = true;
          behaviour.respond(socket, req);
          continue;
        }
        const end = buffer.indexOf(HEAD_END);
        if (end < 0) {
          if (buffer.length > MAX_HEAD) socket.destroy();
          return;
        }
        const lines = buffer.subarray(0, end).toString('latin1').split('\r\n');
        buffer = buffer.subarray(end + 4);
        const [method = '', path = ''] = lines[0].split(' ');
        const headers: Record<string, string> = {};
        for (const line of lines.slice(1)) {
          const i = line.indexOf(':');
          if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
        }
        const req = {method, path, headers};
        t.requests++;
        if (behaviour.onHead?.(socket, req)) {
          busy = true;
          return;
        }
        waiting = {req, bodyLeft: Number(headers['content-length'] ?? 0)};
      }
    };
    // A behaviour that answered in full hands the socket back for the next keep-alive request.
    releasers.set(socket, () =>
      process.nextTick(() => {
        busy = false;
        parse();
      }),
    );
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      parse();
    });
  });
  const port = await listen(server, 0, host);
  return counted(`http://${host}:${port}`, port, t, closer(server, t.sockets));
}

const releasers = new WeakMap<Socket, () => void>();

/** The response to the socket's request is complete: it may carry the next one. */
export function release(socket: Socket): void {
  releasers.get(socket)?.();
}

function counted(url: string, port: number, t: ReturnType<typeof tracker>, close: () => Promise<void>): Counted {
  return {
    url,
    port,
    get accepted() {
      return t.accepted;
    },
    get open() {
      return t.sockets.size;
    },
    get maxOpen() {
      return t.maxOpen;
    },
    resetMax() {
      t.maxOpen = t.sockets.size;
    },
    get requests() {
      return t.requests;
    },
    close,
  };
}

/** Writes a complete response and keeps the connection for the next request. */
export function answer(socket: Socket, status: number, body: string | Buffer = '', headers: Record<string, string> = {}): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const head = [`HTTP/1.1 ${status} X`, `content-length: ${bytes.length}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join(
    '\r\n',
  );
  socket.write(Buffer.concat([Buffer.from(`${head}\r\n\r\n`), bytes]));
  release(socket);
}

/** Sends a TCP RST (not a FIN): the client sees ECONNRESET. */
export function reset(socket: Socket): void {
  socket.resetAndDestroy();
}

/** The misbehaviours, by name. */
export const BEHAVIOURS = {
  /** A well-behaved 200 "ok" (keep-alive). */
  ok: {respond: (s) => answer(s, 200, 'ok')},
  /** Accepts, reads the request and never answers. */
  silent: {respond: () => {}},
  /** Resets the connection as soon as the request head arrived, while the client is still sending its body. */
  resetMidRequest: {
    onHead: (s) => {
      reset(s);
      return true;
    },
    respond: () => {},
  },
  /** 200 headers and part of the body, then a reset. */
  resetMidResponse: {
    respond: (s) => {
      s.write('HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n' + 'x'.repeat(1000));
      setTimeout(() => reset(s), 10);
    },
  },
  /** 200 headers and part of the body, then silence: the body never completes. */
  stalledBody: {
    respond: (s) => {
      s.write('HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n' + 'x'.repeat(1000));
    },
  },
  /** A status line that is not HTTP. */
  garbageStatus: {
    respond: (s) => {
      s.write('SPAM SPAM SPAM\r\n\r\n');
    },
  },
  /** A status line with a non-numeric code. */
  badStatusCode: {
    respond: (s) => {
      s.write('HTTP/1.1 2x0 OK\r\ncontent-length: 0\r\n\r\n');
    },
  },
  /** Chunked encoding with a chunk size that is not hex. */
  badChunked: {
    respond: (s) => {
      s.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n');
    },
  },
  /** Content-Length promises more than is sent, then the server closes (FIN). */
  shortBody: {
    respond: (s) => {
      s.end('HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\nonly this');
    },
  },
  /** Content-Length says less than is sent: the surplus arrives where the next response should start. */
  longBody: {
    respond: (s) => {
      s.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nokSURPLUS BYTES');
      release(s);
    },
  },
  /** A redirect to itself, forever. */
  redirectLoop: {respond: (s, req) => answer(s, 302, '', {location: req.path})},
} satisfies Record<string, Behaviour>;

/**
 * `bytes` of body streamed as fast as the client reads it (backpressure respected), in 64 KiB chunks
 * that are reused: the server itself holds no more than one chunk. `sent` counts body bytes written.
 */
export function hugeBody(bytes: number): Behaviour & {readonly sent: number} {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let sent = 0;
  return {
    get sent() {
      return sent;
    },
    respond(s) {
      s.write(`HTTP/1.1 200 OK\r\ncontent-length: ${bytes}\r\n\r\n`);
      let left = bytes;
      const pump = () => {
        while (left > 0 && !s.destroyed) {
          const n = Math.min(chunk.length, left);
          left -= n;
          sent += n;
          if (!s.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
            s.once('drain', pump);
            return;
          }
        }
        if (left === 0) release(s);
      };
      pump();
    },
  };
}

/** A self-signed certificate for 127.0.0.1, made by openssl in `dir`. */
export function selfSignedCert(dir: string): {key: Buffer; cert: Buffer} {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    {stdio: 'ignore'},
  );
  return {key: readFileSync(keyFile), cert: readFileSync(certFile)};
}

/**
 * An https server (200 "ok") with the given certificate; `handshakeDelayMs` holds every new connection that long
 * before the TLS handshake starts.
 */
export async function startTlsServer(
  tls: {key: Buffer; cert: Buffer},
  handshakeDelayMs = 0,
): Promise<Counted & {readonly handshakes: number}> {
  const t = tracker();
  let handshakes = 0;
  const https = createHttpsServer(tls, (_req, res) => {
    t.requests++;
    res.end('ok');
  });
  https.keepAliveTimeout = 60_000;
  https.on('secureConnection', () => handshakes++);
  https.on('tlsClientError', () => {}); // a client that rejects the certificate
  // The TCP side is ours: count the sockets, and hold them before the handshake when asked.
  const front = createNetServer((socket) => {
    t.add(socket);
    if (handshakeDelayMs > 0) {
      // Keep reading (so a client that gives up is noticed at once), and replay the ClientHello later.
      const early: Buffer[] = [];
      const hold = (chunk: Buffer) => early.push(chunk);
      socket.on('data', hold);
      const timer = setTimeout(() => {
        socket.off('data', hold);
        socket.pause();
        if (early.length > 0) socket.unshift(Buffer.concat(early));
        https.emit('connection', socket);
      }, handshakeDelayMs);
      socket.on('close', () => clearTimeout(timer));
    } else https.emit('connection', socket);
  });
  const port = await listen(front);
  const base = counted(`https://127.0.0.1:${port}`, port, t, async () => {
    await closer(front, t.sockets)();
    https.close();
  });
  return Object.defineProperty(base, 'handshakes', {get: () => handshakes}) as Counted & {readonly handshakes: number};
}

export interface FlakyServer extends Counted {
  /** Closes the listener and every connection: new connections are refused. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  readonly isUp: boolean;
}

/** An HTTP server (200 "ok" on any path) that can go down and come back on the same port. */
export async function startFlakyServer(): Promise<FlakyServer> {
  const t = tracker();
  const http = createHttpServer((_req, res) => {
    t.requests++;
    res.end('ok');
  });
  http.keepAliveTimeout = 60_000;
  http.on('connection', (s: Socket) => t.add(s));
  const port = await listen(http);
  let isUp = true;
  const down = async () => {
    if (!isUp) return;
    isUp = false;
    await closer(http, t.sockets)();
  };
  const base = counted(`http://127.0.0.1:${port}`, port, t, down);
  Object.defineProperty(base, 'isUp', {get: () => isUp});
  return Object.assign(base as FlakyServer, {
    down,
    async up() {
      await listen(http, port);
      isUp = true;
    },
  });
}
