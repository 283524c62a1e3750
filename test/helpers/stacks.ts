// Real multi-process stacks for tests: a Flask shop under gunicorn (sync workers), and nginx as a reverse
// proxy in front of an upstream the test stops and starts again. Loopback only. Each stack runs in its own
// temp dir and process group, which stop() kills - or, if the test never gets there, the test process's exit.
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Worker} from 'node:worker_threads';

const NGINX = '/usr/sbin/nginx';
const GUNICORN = '/usr/bin/gunicorn';
// Not the python3 on PATH (it may be a pyenv one without flask): gunicorn's own, Debian's.
const PYTHON = '/usr/bin/python3';
const here = join(dirname(fileURLToPath(import.meta.url)), 'stacks');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `promise`, or undefined once `ms` have passed (the timer does not outlive it). */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Whether the Debian packages the stacks need are installed (`.ci/run` installs them). */
export function stackTools(): {ok: true} | {ok: false; missing: string} {
  const missing = [NGINX, GUNICORN].filter((file) => !existsSync(file));
  if (spawnSync(PYTHON, ['-c', 'import flask'], {stdio: 'ignore'}).status !== 0) missing.push(`flask for ${PYTHON}`);
  return missing.length === 0 ? {ok: true} : {ok: false, missing: missing.join(', ')};
}

// ---- child processes ---------------------------------------------------------------------------------

/** Process groups (ids = their leaders' pids) started and not stopped yet, with their temp dirs. */
const live = new Map<number, string>();
process.on('exit', () => {
  for (const [group, dir] of live) {
    kill(-group, 'SIGKILL');
    rmSync(dir, {recursive: true, force: true});
  }
});

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

interface Group {
  /** What the processes wrote to stdout and stderr, the last 64 KiB. */
  output(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

/** Starts `file` as the leader of a new process group, so that its children (workers) are killed with it. */
function startGroup(file: string, args: string[], env: NodeJS.ProcessEnv, dir: string): Group {
  const child = spawn(file, args, {detached: true, stdio: ['ignore', 'pipe', 'pipe'], env});
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-65_536);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', (error) => {
      output += String(error);
      exited = true;
      resolve();
    });
  });
  const group = child.pid;
  if (group === undefined) return {output: () => output, exited: () => true, stop: () => exit};
  live.set(group, dir);
  // The exit hook does not run when the test process dies by a signal. This watchdog does: it holds
  // the read end of a pipe from us, gets EOF when we are gone, however we went, and kills the group.
  // (`kill -9 -PID`: dash's kill takes neither `--` nor `-s KILL` before a negative pid.)
  const watchdog = spawn(
    '/bin/sh',
    ['-c', 'trap "" HUP INT TERM; read _; kill -9 -"$1"; rm -rf "$2"', 'brink-stack-watchdog', String(group), dir],
    {stdio: ['pipe', 'ignore', 'ignore']},
  );
  watchdog.unref();
  (watchdog.stdin as Socket).unref();
  let stopping: Promise<void> | undefined;
  return {
    output: () => output,
    exited: () => exited,
    stop: () =>
      (stopping ??= (async () => {
        kill(group, 'SIGTERM'); // the leader (gunicorn's arbiter, nginx's master) shuts its workers down
        await within(exit, 5_000);
        kill(-group, 'SIGKILL'); // whatever is left: a leader that hung, or workers that outlived it
        await within(exit, 1_000);
        live.delete(group);
        watchdog.kill('SIGKILL');
      })()),
  };
}

/** Polls `probe` every 20 ms until it gives a value; fails at once if `failed` says why, else after `ms`. */
async function until<T>(
  what: string,
  ms: number,
  probe: () => T | undefined | Promise<T | undefined>,
  failed: () => string | undefined,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const why = failed();
    if (why !== undefined) throw new Error(`${what}: ${why}`);
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(20);
  }
}

/** A port that `port` (0: any) can be listened on, on 127.0.0.1, or undefined if it is taken. */
function freePort(port = 0): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const {port: free} = server.address() as {port: number};
      server.close(() => resolve(free));
    });
  });
}

function tally(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

/** The complete lines of a log file another process appends to (a line still being written is left out). */
function logLines(file: string): string[] {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter(Boolean);
}

/** `read()`'s lines once none came for `quietMs` (given `expected`: once there are that many), within `maxMs`. */
async function settled<T>(read: () => T[], quietMs: number, maxMs: number, expected?: number): Promise<T[]> {
  const deadline = Date.now() + maxMs;
  let lines = read();
  let stableSince = Date.now();
  while (Date.now() < deadline && (expected === undefined ? Date.now() - stableSince < quietMs : lines.length < expected)) {
    await sleep(10);
    const now = read();
    if (now.length !== lines.length) stableSince = Date.now();
    lines = now;
  }
  return lines;
}

/**
 * nginx started in `dir` from the config `stacks/<template>` with its `{{name}}` placeholders filled in.
 * `listening()` waits until it is up (and fails at once if it exited); `output()` is its own and its error log's.
 */
function launchNginx(dir: string, template: string, vars: Readonly<Record<string, string | number>>) {
  let text = readFileSync(join(here, template), 'utf8');
  for (const [name, value] of Object.entries(vars)) text = text.replaceAll(`{{${name}}}`, String(value));
  const config = join(dir, 'nginx.conf');
  writeFileSync(config, text);
  // -e: the error log from the very start, before the config is read (else nginx opens /var/log/nginx/error.log).
  const group = startGroup(NGINX, ['-p', dir, '-c', config, '-e', join(dir, 'error.log')], {PATH: '/usr/sbin:/usr/bin:/sbin:/bin'}, dir);
  const output = () => {
    let errors = '';
    try {
      errors = readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {
      // not written yet
    }
    return group.output() + errors;
  };
  // nginx writes its pid file once it has bound its port, just before it starts its worker.
  const listening = () =>
    until(
      'nginx listening',
      10_000,
      () => existsSync(join(dir, 'nginx.pid')) || undefined,
      () => (group.exited() ? `nginx exited:\n${output()}` : undefined),
    );
  return {stop: () => group.stop(), output, listening};
}

// ---- the gunicorn shop -------------------------------------------------------------------------------

export interface ShopLine {
  /** When the response was made (epoch ms), not when the request came. */
  readonly atMs: number;
  readonly method: string;
  /** Flask's route pattern, e.g. `/api/products/<int:id>`; `-` for a path no route matched. */
  readonly route: string;
  readonly status: number;
  /** Wall time an order held the orders' lock, ms (0 for other requests): the lock's true busy time. */
  readonly lockMs: number;
}

export interface GunicornShop {
  readonly url: string;
  /** Its temp dir: the request log, the orders' lock file. Removed by stop(). */
  readonly dir: string;
  /** Every request the shop answered, in the order they were answered. Complete once the client has its answer. */
  lines(): ShopLine[];
  /** Requests per `METHOD route`, e.g. `{'POST /api/orders': 8}`. Includes the `GET /health` polls of start-up. */
  counts(): Record<string, number>;
  /** Requests per `METHOD route status`, e.g. `{'POST /api/orders 201': 8}`. */
  statuses(): Record<string, number>;
  /** Output of gunicorn and its workers (errors, tracebacks). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The Flask shop of `stacks/shop_app.py` under gunicorn: `workers` sync worker processes, each answering one
 * request at a time; orders serialised by an flock across all of them, `orderCpuMs` of CPU each. Its capacity is
 * then about 1000 / orderCpuMs orders/s, and `workers` requests in service at once; more wait in the listen backlog.
 */
export async function startGunicornShop({workers = 2, orderCpuMs = 25} = {}): Promise<GunicornShop> {
  const dir = mkdtempSync(join(tmpdir(), 'brink-shop-'));
  const log = join(dir, 'requests.log');
  const group = startGroup(
    GUNICORN,
    [
      '--workers',
      String(workers),
      '--worker-class',
      'sync',
      // Port 0: gunicorn binds and names the port itself (below), no race with another process for a free one.
      '--bind',
      '127.0.0.1:0',
      '--backlog',
      '2048',
      // The app is imported once, before the fork: workers are ready as soon as they are booted.
      '--preload',
      '--graceful-timeout',
      '2',
      '--worker-tmp-dir',
      dir,
      '--chdir',
      here,
      'shop_app:app',
    ],
    {
      // Not the test's environment: PYTHON* variables of a pyenv would reach Debian's python.
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
      LANG: 'C.UTF-8',
      PYTHONDONTWRITEBYTECODE: '1',
      SHOP_LOG: log,
      SHOP_LOCK: join(dir, 'orders.lock'),
      SHOP_ORDER_CPU_MS: String(orderCpuMs),
    },
    dir,
  );
  const gone = () => (group.exited() ? `gunicorn exited:\n${group.output()}` : undefined);
  const stop = async () => {
    await group.stop();
    rmSync(dir, {recursive: true, force: true});
  };
  try {
    const port = await until(
      'gunicorn listening',
      15_000,
      () => /Listening at: http:\/\/127\.0\.0\.1:(\d+)/.exec(group.output())?.[1],
      gone,
    );
    const url = `http://127.0.0.1:${port}`;
    await until(
      `gunicorn booting ${workers} workers`,
      15_000,
      () => group.output().split('Booting worker').length > workers || undefined,
      gone,
    );
    await until(
      'gunicorn answering /health',
      15_000,
      async () => {
        const res = await fetch(`${url}/health`, {signal: AbortSignal.timeout(2_000)}).catch(() => undefined);
        await res?.arrayBuffer();
        return res?.status === 200 || undefined;
      },
      gone,
    );
    const lines = () =>
      logLines(log).map((line): ShopLine => {
        const [atMs, method, route, status, lockMs] = line.split(' ');
        return {atMs: Number(atMs), method, route, status: Number(status), lockMs: Number(lockMs ?? 0)};
      });
    return {
      url,
      dir,
      lines,
      stop,
      counts: () => tally(lines().map((l) => `${l.method} ${l.route}`)),
      statuses: () => tally(lines().map((l) => `${l.method} ${l.route} ${l.status}`)),
      output: group.output,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// ---- nginx in front of an upstream that comes and goes -----------------------------------------------

export interface ProxyLine {
  /** When nginx finished the answer (epoch ms, millisecond resolution). */
  readonly atMs: number;
  readonly status: number;
  readonly method: string;
  readonly uri: string;
  /** What the upstream answered: `200`; `502` when it could not be reached; `-` when nginx did not ask it. */
  readonly upstreamStatus: string;
}

export interface Proxy {
  /** nginx's address. */
  readonly url: string;
  readonly dir: string;
  /** Starts the upstream again, on the same port; resolves once it listens. */
  upstreamUp(): Promise<void>;
  /** Stops the upstream: closes its port and every connection to it, requests in flight included. */
  upstreamDown(): Promise<void>;
  /** Requests the upstream answered (all 200 "ok"), since the start. */
  upstreamHits(): number;
  /** nginx's access log so far. A line is written just after its answer went out, so right after traffic use settledLog(). */
  log(): ProxyLine[];
  /** The access log once it has `expected` lines, or (without `expected`) once it has not grown for 50 ms; at most 2 s. */
  settledLog(expected?: number): Promise<ProxyLine[]>;
  output(): string;
  stop(): Promise<void>;
}

// The upstream is a node:http server in a worker thread, not gunicorn: it stops and starts again in a
// millisecond, on the same port, with no process to spawn or boot; and in its own thread, the test's event
// loop (where brink's engine runs its timers) does not pace it.
const upstreamSource = `
const http = require('node:http');
const {parentPort, workerData: {port, hits}} = require('node:worker_threads');
let server;
parentPort.on('message', (command) => {
  if (command === 'up') {
    server = http.createServer((req, res) => { req.resume(); Atomics.add(hits, 0, 1); res.end('ok'); });
    server.keepAliveTimeout = 60000; // longer than nginx's upstream keepalive_timeout: nginx closes idle ones
    server.once('error', (error) => parentPort.postMessage(String(error)));
    server.listen(port, '127.0.0.1', () => parentPort.postMessage('up'));
  } else {
    server.close(() => parentPort.postMessage('down'));
    server.closeAllConnections();
  }
});`;

/**
 * A free port below the kernel's ephemeral range, for the upstream. nginx's connections to a closed port
 * in that range could, one in some thousands, get that very port as their own local port and connect to
 * themselves (TCP self-connect): a hang instead of a 502, and a port upstreamUp() can no longer listen on.
 */
async function upstreamPort(): Promise<number> {
  const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  for (let tries = 0; tries < 50; tries++) {
    const port = await freePort(10_000 + Math.floor(Math.random() * (low - 10_000)));
    if (port !== undefined) return port;
  }
  throw new Error(`no free port between 10000 and ${low} for the upstream`);
}

/** nginx (`stacks/nginx.conf`) proxying to a small upstream that answers 200 "ok"; the upstream starts up. */
export async function startProxy(): Promise<Proxy> {
  const hits = new Int32Array(new SharedArrayBuffer(4));
  const port = await upstreamPort();
  const worker = new Worker(upstreamSource, {eval: true, workerData: {port, hits}});
  let answer: ((said: string) => void) | undefined;
  worker.on('message', (said: string) => answer?.(said));
  worker.on('error', (error) => answer?.(String(error)));
  let up = false;
  const command = async (name: 'up' | 'down') => {
    if (up === (name === 'up')) return;
    const said = await within(
      new Promise<string>((resolve) => {
        answer = resolve;
        worker.postMessage(name);
      }),
      5_000,
    );
    if (said !== name) throw new Error(`upstream on port ${port} not ${name}: ${said ?? 'no answer in 5 s'}`);
    up = name === 'up';
  };

  const dir = mkdtempSync(join(tmpdir(), 'brink-proxy-'));
  const listen = await freePort();
  const nginx = launchNginx(dir, 'nginx.conf', {dir, port: String(listen), upstream: `127.0.0.1:${port}`});
  const stop = async () => {
    await nginx.stop();
    await worker.terminate();
    rmSync(dir, {recursive: true, force: true});
  };
  try {
    await command('up');
    await nginx.listening();
  } catch (error) {
    await stop();
    throw error;
  }
  const log = () =>
    logLines(join(dir, 'access.log')).map((line): ProxyLine => {
      const [msec, status, method, uri, upstreamStatus] = line.split(' ');
      return {atMs: Math.round(Number(msec) * 1000), status: Number(status), method, uri, upstreamStatus};
    });
  return {
    url: `http://127.0.0.1:${listen}`,
    dir,
    log,
    stop,
    upstreamUp: () => command('up'),
    upstreamDown: () => command('down'),
    upstreamHits: () => Atomics.load(hits, 0),
    settledLog: (expected) => settled(log, 50, 2_000, expected),
    output: nginx.output,
  };
}

// ---- nginx speaking HTTP/2 -----------------------------------------------------------------------------

export interface H2NginxLine {
  readonly status: number;
  readonly method: string;
  readonly uri: string;
  /** `HTTP/2.0`, or `HTTP/1.1` for a client that did not negotiate h2. */
  readonly protocol: string;
  /** nginx's serial number of the connection, and the request's number on it. */
  readonly connection: number;
  readonly connectionRequest: number;
}

export interface H2Nginx {
  /** nginx's https:// address (a self-signed certificate: brink needs --insecure). */
  readonly url: string;
  /** The access log once it has not grown for 100 ms (at most 3 s). */
  settledLog(): Promise<H2NginxLine[]>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * nginx (`stacks/nginx-h2.conf`) answering 200 "ok" itself over HTTP/2 and TLS, a certificate made by openssl
 * in its temp dir; it sends GOAWAY after `keepaliveRequests` requests on a connection.
 */
export async function startH2Nginx({keepaliveRequests}: {keepaliveRequests: number}): Promise<H2Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'brink-h2-nginx-'));
  const listen = await freePort();
  if (listen === undefined) throw new Error('no free port for nginx');
  const openssl = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')].concat([
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]),
    {encoding: 'utf8'},
  );
  if (openssl.status !== 0) {
    rmSync(dir, {recursive: true, force: true});
    throw new Error(`openssl could not make a certificate: ${openssl.stderr}`);
  }
  const nginx = launchNginx(dir, 'nginx-h2.conf', {dir, port: listen, keepalive_requests: keepaliveRequests});
  const stop = async () => {
    await nginx.stop();
    rmSync(dir, {recursive: true, force: true});
  };
  try {
    await nginx.listening();
  } catch (error) {
    await stop();
    throw error;
  }
  const log = () =>
    logLines(join(dir, 'access.log')).map((line): H2NginxLine => {
      const [, status, method, uri, protocol, connection, connectionRequest] = line.split(' ');
      return {status: Number(status), method, uri, protocol, connection: Number(connection), connectionRequest: Number(connectionRequest)};
    });
  return {
    url: `https://127.0.0.1:${listen}`,
    output: nginx.output,
    stop,
    settledLog: () => settled(log, 100, 3_000),
  };
}
