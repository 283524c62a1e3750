#!/usr/bin/env node
// Checks quick mode's lean HTTP/1.1 path (source/worker/quick-user.ts) against a raw TCP server that
// answers in every framing and fault it may meet: for each route, brink's count must equal the server's
// and every request must land in the expected kind. Run after `npm run build`: node bench/check-quick-path.mjs
import net from 'node:net';
import {Engine} from '../dist/engine/engine.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const counts = new Map();
const BIG = Buffer.alloc(3 * 1024 * 1024, 97);

/** Each route writes its own bytes; `sock.pending` holds writes that arrive in pieces. */
const routes = {
  '/cl': (s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'),
  '/chunked': async (s) => {
    s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
    for (const part of ['5\r\nhello\r\n', '3;ext=1\r\n', 'abc\r', '\n', '0\r\nx-trailer: 1\r\n', '\r\n']) {
      await sleep(1);
      if (!s.destroyed) s.write(part);
    }
  },
  '/until-close': (s) => {
    s.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nbody until close');
  },
  '/http10': (s) => {
    s.end('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok');
  },
  '/conn-close': (s) => {
    s.end('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok');
  },
  '/204': (s) => s.write('HTTP/1.1 204 No Content\r\n\r\n'),
  '/304': (s) => s.write('HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n'),
  '/100': (s) =>
    s.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'),
  '/split': async (s) => {
    const bytes = Buffer.from('HTTP/1.1 200 OK\r\nX-Long: ' + 'y'.repeat(3000) + '\r\nContent-Length: 4\r\n\r\nbody');
    for (let i = 0; i < bytes.length; i += 700) {
      if (s.destroyed) return;
      s.write(bytes.subarray(i, i + 700));
      await sleep(1);
    }
  },
  '/big': (s) => {
    s.write(`HTTP/1.1 200 OK\r\nContent-Length: ${BIG.length}\r\n\r\n`);
    s.write(BIG);
  },
  '/big-chunked': (s) => {
    s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
    for (let i = 0; i < 16; i++) s.write(`10000\r\n${'z'.repeat(0x10000)}\r\n`);
    s.write('0\r\n\r\n');
  },
  '/500': (s) => s.write('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 3\r\n\r\nbad'),
  '/reset-mid': (s) => {
    s.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial');
    setTimeout(() => s.destroy(), 2);
  },
  '/reset': (s) => {
    s.destroy();
  },
  '/garbage': (s) => s.write('FOO BAR\r\n\r\n'),
  '/bad-length': (s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\nhello'),
  '/huge-head': (s) => s.write(`HTTP/1.1 200 OK\r\nX-Big: ${'h'.repeat(20_000)}\r\nContent-Length: 0\r\n\r\n`),
  '/slow': (s) => {
    setTimeout(() => {
      if (!s.destroyed) s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    }, 1500);
  },
};

const server = net.createServer((sock) => {
  let buf = '';
  sock.on('error', () => {});
  sock.on('data', (d) => {
    buf += d.toString('latin1');
    for (;;) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.slice(0, end);
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
      if (buf.length < end + 4 + length) return;
      buf = buf.slice(end + 4 + length);
      const [method, path] = head.split(' ');
      counts.set(`${method} ${path}`, (counts.get(`${method} ${path}`) ?? 0) + 1);
      if (method === 'HEAD') sock.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n');
      else if (method === 'POST') sock.write(`HTTP/1.1 201 Created\r\nContent-Length: ${length}\r\n\r\n${'x'.repeat(length)}`);
      else void routes[path]?.(sock);
    }
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const host = `http://127.0.0.1:${server.address().port}`;

const expectations = [
  ['/cl', {}],
  ['/chunked', {}],
  ['/until-close', {}],
  ['/http10', {}],
  ['/conn-close', {}],
  ['/204', {}],
  ['/304', {}],
  ['/100', {}],
  ['/split', {}],
  ['/big', {}],
  ['/big-chunked', {}],
  ['/500', {http_500: 'all'}],
  ['/reset-mid', {socket_closed: 'all'}],
  ['/reset', {socket_closed: 'all'}],
  ['/garbage', {protocol: 'all'}],
  ['/bad-length', {protocol: 'all'}],
  ['/huge-head', {protocol: 'all'}],
  ['/slow', {timeout: 'all'}, {timeoutMs: 400}],
];
let failed = 0;
async function check(method, path, expected, opts = {}) {
  counts.clear();
  const engine = new Engine({
    workload: {kind: 'quick', method, path, headers: {}, body: method === 'POST' ? '{"a":1}' : undefined},
    host,
    workers: 1,
    intervalMs: 250,
    ...opts,
  });
  await engine.start();
  engine.setUsers(2);
  await sleep(600);
  const final = await engine.stop();
  const e = final.endpoints[0];
  const seen = counts.get(`${method} ${path}`) ?? 0;
  const kinds = Object.fromEntries(Object.entries(expected).map(([k]) => [k, e?.requests]));
  const ok = e && e.requests === seen && e.requests > 0 && JSON.stringify(e.failuresByKind) === JSON.stringify(kinds);
  if (!ok) failed++;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${method} ${path.padEnd(13)} brink ${String(e?.requests).padStart(5)} server ${String(seen).padStart(5)} kinds ${JSON.stringify(e?.failuresByKind)} ${e?.errors?.[0] ? `· ${e.errors[0].message}` : ''} · p50 ${e?.latencyMs.p50} ms`,
  );
}
for (const [path, expected, opts] of expectations) await check('GET', path, expected, opts);
await check('HEAD', '/head', {});
await check('POST', '/echo', {});
server.close();
console.log(failed === 0 ? 'all routes counted and classified as expected' : `${failed} route(s) wrong`);
process.exit(failed === 0 ? 0 : 1);
