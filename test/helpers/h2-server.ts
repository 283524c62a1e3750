// A Node http2 server on loopback that counts what it saw: sessions (connections) and streams (requests), by
// the protocol each came over. TLS with a self-signed certificate made for the test (openssl), or h2c.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import * as http2 from 'node:http2';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/** A self-signed certificate for 127.0.0.1 and localhost, made with openssl in a temp dir (removed again). */
export function selfSignedCert(): {key: Buffer; cert: Buffer} {
  const dir = mkdtempSync(join(tmpdir(), 'brink-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost'].concat([
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ]),
      {stdio: 'ignore'},
    );
    return {key: readFileSync(key), cert: readFileSync(cert)};
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

export interface H2Server {
  readonly url: string;
  /** Connections (h2 sessions) opened to it. */
  sessions(): number;
  /** Requests it saw, by `METHOD path` (the query left out). */
  streams(): Record<string, number>;
  /** All requests it saw, by the HTTP version they came over (`2.0`, `1.1`). */
  versions(): Record<string, number>;
  close(): Promise<void>;
}

export interface H2ServerOptions {
  /** TLS (h2 by ALPN, HTTP/1.1 allowed as well) or h2c (prior knowledge). */
  readonly tls: boolean;
  /** Resets these paths' streams with NGHTTP2_INTERNAL_ERROR before any response. */
  readonly resetPaths?: ReadonlyArray<string>;
  /** Answers these paths after this many ms. */
  readonly slowPaths?: Readonly<Record<string, number>>;
}

export async function startH2Server(options: H2ServerOptions): Promise<H2Server> {
  const streams: Record<string, number> = {};
  const versions: Record<string, number> = {};
  let sessions = 0;
  const handler = (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const key = `${req.method} ${path}`;
    streams[key] = (streams[key] ?? 0) + 1;
    versions[req.httpVersion] = (versions[req.httpVersion] ?? 0) + 1;
    if (options.resetPaths?.includes(path) && req.stream) {
      req.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      return;
    }
    req.resume();
    req.on('end', () => {
      const answer = () => {
        res.setHeader('content-type', 'text/plain');
        res.end(`ok ${key}`);
      };
      const delay = options.slowPaths?.[path];
      if (delay) setTimeout(answer, delay);
      else answer();
    });
  };
  const server = options.tls ? http2.createSecureServer({...selfSignedCert(), allowHTTP1: true}, handler) : http2.createServer(handler);
  server.on('session', () => sessions++);
  // Node's h2 server would otherwise count plain HTTP/1.1 connections nowhere.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  const open = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    open.add(session);
    session.on('close', () => open.delete(session));
  });
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    sessions: () => sessions,
    streams: () => ({...streams}),
    versions: () => ({...versions}),
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of open) session.destroy();
        server.close(() => resolve());
      }),
  };
}
