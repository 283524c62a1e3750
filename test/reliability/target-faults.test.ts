// A table of what a target may do wrong (or merely unusually) at the HTTP level, and what brink must make of it:
// each fault is one entry, run in quick mode and in a scenario, over brink's own HTTP/1.1 client and over undici.
// The targets are raw TCP servers on loopback that write exactly the bytes of the case; every count brink reports
// is checked against what the servers saw. Loopback only: the one case that points elsewhere (a redirect to
// 203.0.113.10, TEST-NET-3) must be held back by the host guard before any connection is tried, which its
// failure kind (not a timeout, not refused) and its speed show.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Socket} from 'node:net';
import {release, selfSignedCert, startRawServer, startTlsServer, type Counted, type RawRequest} from '../helpers/misbehaving-server.js';
import {scenarioFile, sleep, tempDir} from '../helpers/run.js';
import {Engine} from '../../source/engine/engine.js';
import type {EndpointState, RunState} from '../../source/engine/run-state.js';
import type {Workload} from '../../source/protocol/messages.js';

/** The servers a case can send a request to: A (127.0.0.1), B (127.0.0.2: another origin, another host), T (https on 127.0.0.1). */
interface Servers {
  readonly a: Counted;
  readonly b: Counted;
  readonly tls: Counted;
}

/** The two ways a request goes: brink's own client, or undici (forced by a header the h1 client leaves to undici). */
type Path = 'h1' | 'undici';
const PATHS: Path[] = ['h1', 'undici'];

interface Fault {
  readonly name: string;
  /** What the servers write for the case's request, `base` being its path (`/<mode>/<name>`); more may follow under `base/`. */
  readonly respond: (s: Socket, req: RawRequest, base: string, at: Servers) => void;
  /** The failure kind every request ends in ('ok': none), per path when they differ. */
  readonly kind: string | Readonly<Record<Path, string>>;
  /** The status brink reports for the responses (cases that end in a response). */
  readonly status?: number;
  /** Requests the servers saw for each one brink counted, by server and path under `base` ('' is `base` itself). */
  readonly seen?: Readonly<Record<string, number>>;
  /** Where the first hop of its redirects went, `base` and the servers' URLs substituted. */
  readonly redirectTo?: (base: string, at: Servers) => string;
  readonly timeoutMs?: number;
  /** Bounds on every request's latency, ms. */
  readonly latencyMs?: readonly [number, number];
  /** Quick mode's --max-redirects. */
  readonly maxRedirects?: number;
  /** The error message, or part of it. */
  readonly message?: RegExp;
  readonly quickOnly?: boolean;
}

/** Writes `text` (latin-1) and hands the socket back for the next request. */
const write = (s: Socket, text: string) => {
  s.write(Buffer.from(text, 'latin1'));
  release(s);
};
const OK = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';
const redirect = (s: Socket, status: number, location: string) =>
  write(s, `HTTP/1.1 ${status} Moved\r\nlocation: ${location}\r\ncontent-length: 0\r\n\r\n`);
/** A body of 1000 bytes, one byte every 40 ms: each chunk comes well within undici's per-chunk bodyTimeout. */
const drip = (s: Socket) => {
  s.write('HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n');
  const timer = setInterval(() => (s.destroyed ? clearInterval(timer) : s.write('x')), 40);
  s.once('close', () => clearInterval(timer));
};

const FAULTS: Fault[] = [
  {name: 'ok', respond: (s) => write(s, OK), kind: 'ok', status: 200},
  // Real servers (some embedded ones, Go's with a custom status) leave the reason phrase out.
  {
    name: 'status line without a reason phrase',
    respond: (s) => write(s, 'HTTP/1.1 200\r\ncontent-length: 2\r\n\r\nok'),
    kind: 'ok',
    status: 200,
  },
  // Bare-LF line ends must never run into the timeout. brink's client reads them; undici's parser (llhttp) refuses them.
  {
    name: 'bare-LF head',
    respond: (s) => write(s, 'HTTP/1.1 200 OK\ncontent-length: 2\nx-a: b\n\nok'),
    kind: {h1: 'ok', undici: 'protocol'},
  },
  {
    name: 'CRLF head ending in a bare LF',
    respond: (s) => write(s, 'HTTP/1.1 200 OK\r\ncontent-length: 2\n\r\nok'),
    kind: {h1: 'ok', undici: 'protocol'},
  },
  // An unsolicited 100 Continue (RFC 9110: a client must parse 1xx it did not ask for), also split across writes.
  {name: 'interim 100 Continue', respond: (s) => write(s, `HTTP/1.1 100 Continue\r\n\r\n${OK}`), kind: 'ok', status: 200},
  {
    name: 'interim 100 Continue in pieces',
    respond: (s) => {
      // One after the other (timers of different lengths may fire out of order on a busy loop).
      s.write('HTTP/1.1 10');
      setTimeout(() => {
        s.write('0 Continue\r\n');
        setTimeout(() => write(s, `\r\nHTTP/1.1 100 Continue\r\n\r\n${OK}`), 5);
      }, 5);
    },
    kind: 'ok',
    status: 200,
  },
  {
    name: 'interim 103 Early Hints',
    respond: (s) => write(s, `HTTP/1.1 103 Early Hints\r\nlink: </a.css>\r\n\r\n${OK}`),
    kind: 'ok',
    status: 200,
  },
  // A 204 or 304 ends at its head: the bytes after it cannot be its body (the connection is not reused), and a
  // Content-Length on it does not frame anything (undici's complaint that the bytes never came is no failure).
  {name: '204 with a body', respond: (s) => write(s, 'HTTP/1.1 204 No Content\r\ncontent-length: 5\r\n\r\nhello'), kind: 'ok', status: 204},
  {name: '204 with stray bytes', respond: (s) => write(s, 'HTTP/1.1 204 No Content\r\n\r\nhello'), kind: 'ok', status: 204},
  {
    name: '304 with a Content-Length',
    respond: (s) => write(s, 'HTTP/1.1 304 Not Modified\r\ncontent-length: 512\r\n\r\n'),
    kind: 'ok',
    status: 304,
  },
  // Strict where it matters: framing that cannot be trusted.
  {
    name: 'conflicting Content-Length',
    respond: (s) => write(s, 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nok'),
    kind: 'protocol',
  },
  {
    name: 'Content-Length with chunked',
    respond: (s) => write(s, 'HTTP/1.1 200 OK\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'),
    kind: 'protocol',
  },
  {
    name: 'bad chunk size',
    respond: (s) => write(s, 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n'),
    kind: 'protocol',
  },
  // The whole request ends by --timeout, however steadily its body drips in (undici's bodyTimeout is per chunk).
  {name: 'slow-drip body', respond: drip, kind: 'timeout', timeoutMs: 400, latencyMs: [395, 1200], message: /within 400 ms/},
  // A timeout of 5 s or more has no exact timer on the undici path: the shared sweep ends it.
  {name: 'slow-drip body, long timeout', respond: drip, kind: 'timeout', timeoutMs: 5000, latencyMs: [4995, 6000]},
  // Redirects: one request, whatever its hops; the first hop's target recorded.
  {
    name: 'redirect',
    respond: (s, req, base) => (req.path === base ? redirect(s, 302, `${base}/landed`) : write(s, OK)),
    kind: 'ok',
    status: 200,
    seen: {'a:': 1, 'a:/landed': 1},
    redirectTo: (base) => `${base}/landed`,
  },
  {
    name: 'redirect to another origin',
    respond: (s, req, base, at) => (req.path === base ? redirect(s, 307, `${at.b.url}${base}/there`) : write(s, OK)),
    kind: 'ok',
    status: 200,
    seen: {'a:': 1, 'b:/there': 1},
    redirectTo: (base, at) => `${at.b.url}${base}/there`,
  },
  {
    name: 'redirect to https',
    respond: (s, req, base, at) => redirect(s, 301, `${at.tls.url}${base}/secure`),
    kind: 'ok',
    status: 200,
    seen: {'a:': 1, tls: 1},
    redirectTo: (base, at) => `${at.tls.url}${base}/secure`,
  },
  {
    name: 'redirect loop',
    respond: (s, req) => redirect(s, 302, req.path),
    kind: 'too_many_redirects',
    // Eleven hops within one timeout: generous, for a busy machine.
    timeoutMs: 10_000,
    seen: {'a:': 11},
    message: /more than 10 redirects/,
  },
  {
    name: 'redirect to a URL that is not http',
    respond: (s) => redirect(s, 302, 'ftp://127.0.0.1/file'),
    kind: 'protocol',
    seen: {'a:': 1},
    message: /ftp: is not http or https/,
  },
  // The host guard: nothing is sent to a host that is neither loopback nor private without --yes.
  {
    name: 'redirect to a public address',
    respond: (s, req, base, at) => redirect(s, 302, `http://203.0.113.10:${at.a.port}${base}/elsewhere`),
    kind: 'blocked_host',
    seen: {'a:': 1},
    // Held back before connecting: not a timeout (3 s), as an attempt at an unroutable address would be.
    latencyMs: [0, 2500],
    message: /^203\.0\.113\.10 is not a loopback or private address: the request was not sent \(pass --yes/,
  },
  // The whole chain within --timeout: a slow first hop leaves the next one only what is left (1.5 s, not 1 + 1.5 s).
  {
    name: 'slow redirect, then silence',
    respond: (s, req, base) => {
      if (req.path === base) setTimeout(() => redirect(s, 302, `${base}/silent`), 1000);
    },
    kind: 'timeout',
    timeoutMs: 1500,
    latencyMs: [1495, 2200],
    // The hop to /silent goes out unless the first took all the time (on a busy machine): not counted exactly.
    seen: {'a:': 1},
  },
  // --max-redirects 0: the 3xx is the response, as before redirects were followed.
  {
    name: 'redirect not followed',
    respond: (s, req, base) => redirect(s, 302, `${base}/landed`),
    kind: 'ok',
    status: 302,
    seen: {'a:': 1},
    maxRedirects: 0,
    quickOnly: true,
  },
];

/** Requests seen per server and path. */
const seen = new Map<string, number>();
let servers: Servers;
const tmp = tempDir('brink-faults-');

/** The case a path belongs to: `/<mode>/<slug>[/…]`. */
const slug = (name: string) => name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
const bySlug = new Map(FAULTS.map((f) => [slug(f.name), f]));

function routed(label: 'a' | 'b') {
  return {
    respond(s: Socket, req: RawRequest) {
      const path = req.path.split('?')[0];
      seen.set(`${label}:${path}`, (seen.get(`${label}:${path}`) ?? 0) + 1);
      const [, mode, name] = path.split('/');
      const fault = bySlug.get(name);
      if (!fault) return write(s, 'HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n');
      fault.respond(s, {...req, path}, `/${mode}/${name}`, servers);
    },
  };
}

beforeAll(async () => {
  const cert = selfSignedCert(tmp.dir);
  const [a, b, tls] = await Promise.all([startRawServer(routed('a')), startRawServer(routed('b'), '127.0.0.2'), startTlsServer(cert)]);
  servers = {a, b, tls};
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
  tmp.cleanup();
});

/** Runs `workload` with `users` for `durationMs`, then stops with grace enough for the slowest request in flight. */
async function runFor(workload: Workload, users: number, durationMs: number, timeoutMs: number): Promise<RunState> {
  const engine = new Engine({workload, host: servers.a.url, workers: 1, intervalMs: 250, timeoutMs, insecure: true});
  await engine.start();
  engine.setUsers(users);
  await sleep(durationMs);
  return engine.stop(timeoutMs + 2000);
}

/**
 * What a case's requests must show, in `mode` (a path prefix of its own, so that every run's counts are apart).
 * `tls`: the requests the TLS server saw in the run (it has no paths of its own: it answers every one "ok").
 */
function check(f: Fault, path: Path, e: EndpointState, mode: string, final: RunState, tls: number): void {
  const base = `/${mode}/${slug(f.name)}`;
  const kind = typeof f.kind === 'string' ? f.kind : f.kind[path];
  const label = `${f.name} (${mode})`;
  expect(e.requests, label).toBeGreaterThan(0);
  expect(Object.keys(e.failuresByKind), label).toEqual(kind === 'ok' ? [] : [kind]);
  expect(e.failures, label).toBe(kind === 'ok' ? 0 : e.requests);
  if (kind === 'ok') expect(e.statusCodes, label).toEqual({[f.status ?? 200]: e.requests});
  // What the servers saw: each request brink counted, and its hops.
  const want = f.seen ?? {'a:': 1};
  for (const [where, per] of Object.entries(want)) {
    const got = where === 'tls' ? tls : (seen.get(where.replace(':', `:${base}`)) ?? 0);
    expect(got, `${label}: ${where} saw`).toBe(e.requests * per);
  }
  if (f.redirectTo) expect(e.redirects, label).toEqual({count: e.requests, to: {[f.redirectTo(base, servers)]: e.requests}});
  else if (f.maxRedirects === 0 || !f.seen) expect(e.redirects, label).toBeUndefined();
  if (f.latencyMs) {
    expect(e.latencyMs.min, label).toBeGreaterThanOrEqual(f.latencyMs[0]);
    expect(e.latencyMs.max, label).toBeLessThanOrEqual(f.latencyMs[1]);
  }
  if (f.message) expect(e.errors.map((x) => x.message).join('\n'), label).toMatch(f.message);
  if (kind === 'blocked_host') {
    // Named once in the summary's warnings and in the event log, with the host and --yes.
    expect(final.warnings.filter((w) => w.includes('203.0.113.10') && w.includes('--yes'))).toHaveLength(1);
    expect(final.events.some((x) => x.kind === 'warning' && x.text.includes('203.0.113.10'))).toBe(true);
  }
}

describe('quick mode: each fault on its own, over both clients', () => {
  const results = new Map<string, {final: RunState; tls: number}>();
  const runs = FAULTS.flatMap((f) => PATHS.map((path) => ({f, path, mode: `quick-${path}`})));

  beforeAll(async () => {
    const one = async ({f, path, mode}: (typeof runs)[number]) => {
      const tlsBefore = servers.tls.requests;
      const final = await runFor(
        {
          kind: 'quick',
          method: 'GET',
          path: `/${mode}/${slug(f.name)}`,
          headers: path === 'undici' ? {connection: 'keep-alive'} : {},
          maxRedirects: f.maxRedirects,
        },
        2,
        // Long enough for the cases that time out to do so a few times.
        f.kind === 'timeout' ? (f.timeoutMs ?? 3000) + 1000 : 1000,
        f.timeoutMs ?? 3000,
      );
      results.set(`${f.name} ${path}`, {final, tls: servers.tls.requests - tlsBefore});
    };
    // The TLS server counts requests, not paths: the cases that reach it run alone, first.
    for (const r of runs.filter((x) => x.f.seen?.tls)) await one(r);
    // The rest a few at a time: each is an engine with a worker thread, on a 2-core machine.
    const rest = runs.filter((x) => !x.f.seen?.tls);
    for (let i = 0; i < rest.length; i += 6) await Promise.all(rest.slice(i, i + 6).map(one));
  }, 180_000);

  it.each(FAULTS.flatMap((f) => PATHS.map((path) => ({name: f.name, path, f}))))('$name over $path', ({f, path}) => {
    const {final, tls} = results.get(`${f.name} ${path}`)!;
    const [e] = final.endpoints;
    console.log(`quick ${path}, ${f.name}: ${e.requests} requests`, e.failuresByKind, e.statusCodes, e.errors[0]?.message ?? '');
    expect(final.endpoints).toHaveLength(1);
    check(f, path, e, `quick-${path}`, final, tls);
  });
});

describe('a scenario: every fault at once, over both clients', () => {
  const cases = FAULTS.filter((f) => !f.quickOnly);
  let final: RunState;
  let tls = 0;

  beforeAll(async () => {
    const targets = cases.flatMap((f) =>
      PATHS.map((path) => ({
        name: `${f.name} ${path}`,
        path: `/scenario-${path}/${slug(f.name)}`,
        undici: path === 'undici',
        timeout: (f.timeoutMs ?? 3000) / 1000,
      })),
    );
    const sc = await scenarioFile(`import {scenario, user, task} from 'brink';
const targets = ${JSON.stringify(targets)};
export default scenario({users: [user('u', {}, [
  task(async ({http, userId}) => {
    const t = targets[userId % targets.length];
    await http.get(t.path, {name: t.name, timeout: t.timeout, headers: t.undici ? {connection: 'keep-alive'} : undefined});
  }),
])]});
`);
    const tlsBefore = servers.tls.requests;
    try {
      final = await runFor(sc.workload, targets.length, 6500, 5000);
    } finally {
      sc.cleanup();
    }
    tls = servers.tls.requests - tlsBefore;
  }, 60_000);

  it.each(cases.flatMap((f) => PATHS.map((path) => ({name: f.name, path, f}))))('$name over $path', ({f, path}) => {
    const e = final.endpoints.find((x) => x.name === `${f.name} ${path}`)!;
    console.log(`scenario ${path}, ${f.name}: ${e.requests} requests`, e.failuresByKind, e.statusCodes, e.errors[0]?.message ?? '');
    // Both paths reach the TLS server in the same run: it saw both together.
    const other = final.endpoints.find((x) => x.name === `${f.name} ${path === 'h1' ? 'undici' : 'h1'}`)!;
    check(f, path, e, `scenario-${path}`, final, f.seen?.tls ? tls - other.requests * f.seen.tls : 0);
  });
});
