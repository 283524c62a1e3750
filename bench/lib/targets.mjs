// Loopback targets, each in its own process: node:http (plain or delay) from bench/servers/target.mjs,
// and nginx (when installed) with its own temporary prefix and config on a free port.
import {fork, spawn} from 'node:child_process';
import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {sleep, which} from './proc.mjs';

const TARGET = fileURLToPath(new URL('../servers/target.mjs', import.meta.url));

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const {port} = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A node:http target in a child process. mode: 'plain' | 'delay'. */
export async function startNodeTarget(mode) {
  const child = fork(TARGET, [mode], {stdio: ['ignore', 'inherit', 'inherit', 'ipc']});
  const pending = new Map();
  let seq = 0;
  const port = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`target ${mode} exited with ${code}`)));
    child.on('message', (m) => {
      if (m.type === 'listening') resolve(m.port);
      else if (pending.has(m.id)) {
        pending.get(m.id)(m);
        pending.delete(m.id);
      }
    });
  });
  const ask = (type) =>
    new Promise((resolve) => {
      const id = ++seq;
      pending.set(id, resolve);
      child.send({type, id});
    });
  return {
    name: mode === 'delay' ? 'node-delay' : 'node',
    kind: 'node',
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    count: async () => (await ask('count')).count,
    reset: () => ask('reset'),
    truth: () => ask('truth'),
    /** Freezes the whole target process (SIGSTOP) for `ms`: nothing is accepted, read or answered. */
    stall: async (ms) => {
      process.kill(child.pid, 'SIGSTOP');
      await sleep(ms);
      process.kill(child.pid, 'SIGCONT');
    },
    async close() {
      try {
        process.kill(child.pid, 'SIGCONT');
      } catch {
        /* already gone */
      }
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
    },
  };
}

/** nginx with one worker (a target comparable with the one-process node target), or undefined when absent. */
export async function startNginx() {
  const bin = which('nginx') ?? ['/usr/sbin/nginx', '/usr/local/sbin/nginx'].find((p) => which(p));
  if (!bin) return undefined;
  const prefix = mkdtempSync(join(tmpdir(), 'brink-bench-nginx-'));
  mkdirSync(join(prefix, 'logs'));
  const port = await freePort();
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    `
worker_processes 1;
worker_rlimit_nofile 20000;
daemon off;
master_process on;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 16384; multi_accept on; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  server {
    listen 127.0.0.1:${port} backlog=4096;
    default_type text/plain;
    location = /__status { stub_status; }
    location = /s/login { add_header Set-Cookie "sid=bench-session; Path=/; HttpOnly"; return 200 "hello world\\n"; }
    location /s/ { if ($cookie_sid != "bench-session") { return 401; } return 200 "hello world\\n"; }
    location / { return 200 "hello world\\n"; }
  }
}
`,
  );
  const child = spawn(bin, ['-p', prefix, '-c', conf], {stdio: ['ignore', 'ignore', 'pipe']});
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 5000;
  for (;;) {
    try {
      const res = await fetch(`${url}/`);
      await res.text();
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      rmSync(prefix, {recursive: true, force: true});
      return {skipped: `nginx did not start: ${err.trim().split('\n').pop() ?? 'no output'}`};
    }
    await sleep(50);
  }
  const count = async () => {
    const text = await (await fetch(`${url}/__status`)).text();
    return Number(text.split('\n')[2].trim().split(/\s+/)[2]);
  };
  return {
    name: 'nginx',
    kind: 'nginx',
    pid: child.pid,
    url,
    count,
    async close() {
      child.kill('SIGQUIT');
      await Promise.race([new Promise((r) => child.once('exit', r)), sleep(3000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(prefix, {recursive: true, force: true});
    },
  };
}
