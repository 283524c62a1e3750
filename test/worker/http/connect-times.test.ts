// Opening a connection is timed apart from the requests on it (as wrk and k6 do): a request's latency
// starts once its connection is up. The connections brink reports opening are the ones the server saw,
// and a server too slow to accept (SYNs dropped and resent a second later) shows in the connect times,
// not as a second of request latency.
import {fork, type ChildProcess} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {brinkCounts, run, scenarioFile, tempDir} from '../../helpers/run.js';
import {summarize} from '../../../source/report/summary.js';
import {summaryText} from '../../../source/report/text.js';
import {countingServer, type CountingServer} from '../../cli/counting-server.js';

const quick = (path: string) => ({kind: 'quick' as const, method: 'GET', path, headers: {}});

let server: CountingServer;
beforeAll(async () => {
  // /close answers as an HTTP/1.0-style server does: one response a connection.
  server = await countingServer((req, res) => {
    if (req.url !== '/close') return false;
    res.setHeader('connection', 'close');
    res.end('ok');
    return true;
  });
});
afterAll(async () => {
  await server.close();
});

describe('connections', () => {
  it('kept alive: one a user, as many as the server accepted', async () => {
    const [c0, s0] = [server.connections, server.total()];
    const {final} = await run({workload: quick('/'), host: server.url, users: 5, durationMs: 800});
    expect(final.totals.requests).toBe(server.total() - s0);
    expect(final.totals.requests).toBeGreaterThan(50);
    expect(server.connections - c0).toBe(5);
    expect(final.connections.opened).toBe(5);
    expect(final.connections.connectMs.max).toBeGreaterThan(0);
  });

  it('closed after every response: a connection a request, counted as the server counted them, and said in the summary', async () => {
    const [c0, s0] = [server.connections, server.total()];
    const {final} = await run({workload: quick('/close'), host: server.url, users: 3, durationMs: 800});
    expect(final.totals.failures, JSON.stringify(final.totals.failuresByKind)).toBe(0);
    expect(final.totals.requests).toBe(server.total() - s0);
    expect(final.totals.requests).toBeGreaterThan(100);
    expect(final.connections.opened).toBe(server.connections - c0);
    expect(final.connections.opened).toBe(final.totals.requests);
    const text = summaryText(
      summarize(final, {
        target: server.url,
        scenario: 'quick',
        version: 'test',
        interrupted: false,
        saturatedIntervals: 0,
        maxElu: 0,
        plan: '',
        manualChanges: [],
        recovery: {state: 'idle'},
        thresholds: [],
      }),
    );
    expect(text).toContain(`connections ${final.connections.opened.toLocaleString('en-US')} opened`);
    expect(text).toMatch(/connections are not reused\. The target closes them after each response/);
    // …and the event log said it once, as it happened.
    expect(final.events.filter((e) => e.kind === 'warning' && /connections are not reused/.test(e.text))).toHaveLength(1);
  });

  it('at the end of a run, closed together once the last response is in, not one by one while others are still served', async () => {
    let pending = 0;
    const pendingAtCloses: number[] = [];
    const slow = await countingServer(
      (_req, res) => {
        pending++;
        res.on('finish', () => {
          pending--;
        });
        setTimeout(() => res.end('ok'), 20 + Math.random() * 180);
        return true;
      },
      (s) => s.on('connection', (socket) => socket.on('close', () => pendingAtCloses.push(pending))),
    );
    try {
      const {final} = await run({workload: quick('/'), host: slow.url, users: 20, durationMs: 700});
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(final.totals.requests).toBe(slow.total());
      expect(final.totals.failures).toBe(0);
      expect(pendingAtCloses).toHaveLength(20);
      // Closed as each user ended, the first closes came while most of the 20 last requests were still being served.
      expect(
        pendingAtCloses.every((n) => n === 0),
        `requests still being served at each close: ${pendingAtCloses.join(' ')}`,
      ).toBe(true);
    } finally {
      await slow.close();
    }
  });
});

describe('a server slow to accept', () => {
  let child: ChildProcess;
  let slowUrl = '';
  const tmp = tempDir();
  /** The server's counts since the last call; it blocks again on the next connection. */
  const counts = () =>
    new Promise<{connections: number; requests: number}>((resolve) => {
      child.once('message', (m) => resolve(m as {connections: number; requests: number}));
      child.send('counts');
    });
  beforeAll(async () => {
    // Its own process, so that blocking its event loop blocks nothing else. Backlog 1: while it is blocked
    // the kernel queues two connections and drops the other SYNs, which the clients resend after 1 s.
    const file = tmp.write(
      'slow-accept.mjs',
      `import {createServer} from 'node:http';
let connections = 0, requests = 0, blocked = false;
const server = createServer((req, res) => { requests++; res.end('ok'); });
server.on('connection', () => {
  connections++;
  if (!blocked) { blocked = true; Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500); }
});
server.listen({port: 0, host: '127.0.0.1', backlog: 1}, () => process.send({port: server.address().port}));
process.on('message', () => {
  process.send({connections, requests});
  connections = requests = 0;
  blocked = false;
});
process.on('disconnect', () => process.exit(0));
`,
    );
    child = fork(file, {stdio: 'ignore'});
    const {port} = await new Promise<{port: number}>((resolve) => child.once('message', (m) => resolve(m as {port: number})));
    slowUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(() => {
    child.kill();
    tmp.cleanup();
  });

  it('shows in the connect times, not in the requests latency', async () => {
    const {final} = await run({workload: quick('/'), host: slowUrl, users: 8, durationMs: 2000});
    const seen = await counts();
    expect(brinkCounts(final)).toEqual({'GET /': seen.requests});
    expect(final.totals.failures).toBe(0);
    expect(final.connections.opened).toBe(seen.connections);
    expect(final.connections.opened).toBe(8);
    // Some SYNs were dropped and resent a second later…
    expect(final.connections.connectMs.max).toBeGreaterThanOrEqual(900);
    // …while no request waited that long once connected (the longest waited out the server's 0.5 s block).
    expect(final.totals.latencyMs.max).toBeLessThan(900);
    expect(final.totals.latencyMs.max).toBeGreaterThanOrEqual(300);
    const text = summaryText(
      summarize(final, {
        target: slowUrl,
        scenario: 'quick',
        version: 'test',
        interrupted: false,
        saturatedIntervals: 0,
        maxElu: 0,
        plan: '',
        manualChanges: [],
        recovery: {state: 'idle'},
        thresholds: [],
      }),
    );
    expect(text).toMatch(/the target accepts them too slowly/);
    expect(final.events.filter((e) => e.kind === 'warning' && /the target accepts too slowly/.test(e.text))).toHaveLength(1);
  });

  it('in scenario mode too (the shared pool of connections)', async () => {
    const sc = await scenarioFile(`import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', [task(({http}) => http.get('/', {name: 'home'}))])]});
`);
    try {
      const {final} = await run({workload: sc.workload, host: slowUrl, users: 8, durationMs: 2000});
      const seen = await counts();
      expect(brinkCounts(final)).toEqual({'GET home': seen.requests});
      expect(final.totals.failures).toBe(0);
      expect(final.connections.opened).toBe(seen.connections);
      expect(final.connections.connectMs.max).toBeGreaterThanOrEqual(900);
      expect(final.totals.latencyMs.max).toBeLessThan(900);
    } finally {
      sc.cleanup();
    }
  });
});
