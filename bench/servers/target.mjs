// A loopback target in its own process, driven over IPC by bench/run.mjs.
//   plain: 200 "hello world\n" on every path; /s/login sets a session cookie, /s/* answers 401 without it
//   delay: answers after a uniform random 10–100 ms and records each delay it chose and the time it served
//          (from its bytes' arrival to its answer's write)
// IPC: {type:'count'} → requests so far; {type:'reset'} → forget; {type:'truth'} → percentiles of the delays.
import http from 'node:http';
import net from 'node:net';
import {performance} from 'node:perf_hooks';

const mode = process.argv[2] ?? 'plain';
const BODY = Buffer.from('hello world\n');
const HEADERS = {'content-type': 'text/plain', 'content-length': String(BODY.length)};
let count = 0;
let chosen = [];
let served = [];

function plain(req, res) {
  const url = req.url;
  if (url.startsWith('/s/')) {
    if (url === '/s/login') {
      res.writeHead(200, {...HEADERS, 'set-cookie': 'sid=bench-session; Path=/; HttpOnly'});
      res.end(BODY);
      return;
    }
    if (!(req.headers.cookie ?? '').includes('sid=bench-session')) {
      res.writeHead(401, {'content-length': '0'});
      res.end();
      return;
    }
  }
  res.writeHead(200, HEADERS);
  res.end(BODY);
}

const RAW_RESPONSE = Buffer.from(`HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${BODY.length}\r\n\r\n${BODY}`);
const HEAD_END = Buffer.from('\r\n\r\n');

// The delay target is a bare net server, not node:http: its clock must start when a request's bytes reach
// JavaScript. Through node:http, 1000 connections' first requests queued in its parser for ~15 ms ahead of
// the clock (a tool's first-second p99 read 115 ms against a truth of 100), and its own CPU at 17k req/s
// delayed its timers: every tool, wrk included, was measured against a truth that left out the server's
// queueing. Body-less requests only (the latency case sends GETs), answered in order on each connection.
function delay(socket) {
  let pending = Buffer.alloc(0);
  const queue = []; // per request: {ready, start, ms}
  const flush = () => {
    while (queue.length > 0 && queue[0].ready) {
      const q = queue.shift();
      socket.write(RAW_RESPONSE);
      chosen.push(q.ms);
      served.push(performance.now() - q.start);
    }
  };
  socket.setNoDelay(true);
  socket.on('error', () => {});
  socket.on('data', (chunk) => {
    const start = performance.now();
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let from = 0;
    for (let end; (end = pending.indexOf(HEAD_END, from)) !== -1; from = end + 4) {
      count++;
      const q = {ready: false, start, ms: 10 + Math.random() * 90};
      queue.push(q);
      setTimeout(() => {
        q.ready = true;
        flush();
      }, q.ms);
    }
    pending = from === pending.length ? Buffer.alloc(0) : pending.subarray(from);
  });
}

const server =
  mode === 'delay'
    ? net.createServer(delay)
    : http.createServer((req, res) => {
        count++;
        plain(req, res);
      });
if (mode === 'plain') {
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 130_000;
  server.requestTimeout = 0;
  server.maxRequestsPerSocket = 0;
}
// A backlog as deep as nginx's (backlog=4096): with Node's default (511), 1000 connections opened at once
// overflow the accept queue, dropped SYNs are resent a second later, and that second is in no server's truth.
server.listen({port: 0, host: '127.0.0.1', backlog: 4096}, () => process.send({type: 'listening', port: server.address().port}));

function percentiles(values) {
  const s = Float64Array.from(values).sort();
  const at = (p) => (s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]);
  const r = (x) => Math.round(x * 1000) / 1000;
  return {count: s.length, p50: r(at(50)), p90: r(at(90)), p99: r(at(99)), max: r(at(100))};
}

process.on('message', (m) => {
  if (m.type === 'count') process.send({type: 'count', id: m.id, count});
  else if (m.type === 'reset') {
    chosen = [];
    served = [];
    process.send({type: 'reset', id: m.id});
  } else if (m.type === 'truth') process.send({type: 'truth', id: m.id, chosen: percentiles(chosen), served: percentiles(served)});
  else if (m.type === 'exit') server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
