// A loopback target in its own process, driven over IPC by bench/run.mjs.
//   plain: 200 "hello world\n" on every path; /s/login sets a session cookie, /s/* answers 401 without it
//   delay: answers after a uniform random 10–100 ms and records each delay it chose and the time it served
// IPC: {type:'count'} → requests so far; {type:'reset'} → forget; {type:'truth'} → percentiles of the delays.
import http from 'node:http';
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

function delay(req, res) {
  const start = performance.now();
  const ms = 10 + Math.random() * 90;
  setTimeout(() => {
    res.writeHead(200, HEADERS);
    res.end(BODY);
    chosen.push(ms);
    served.push(performance.now() - start);
  }, ms);
}

const handler = mode === 'delay' ? delay : plain;
const server = http.createServer((req, res) => {
  count++;
  handler(req, res);
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
server.requestTimeout = 0;
server.maxRequestsPerSocket = 0;
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
