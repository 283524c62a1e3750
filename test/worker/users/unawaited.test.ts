// A task that forgets `await`: every request it sent is counted as the server saw it, the user never has more
// out than one task sent, and a warning names the scenario line once.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {endpoint, run, scenarioFile} from '../../helpers/run.js';

/** A server answering after 20 ms, counting requests per path and the most it held at once. */
let server: http.Server;
let url: string;
const seen = new Map<string, number>();
let open = 0;
let maxOpen = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = req.url!.split('?')[0]!;
    seen.set(path, (seen.get(path) ?? 0) + 1);
    maxOpen = Math.max(maxOpen, ++open);
    setTimeout(() => {
      open--;
      res.end(path === '/bad' ? 'no' : 'ok');
    }, 20);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

async function runTask(body: string, users = 1) {
  const s = await scenarioFile(`import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {}, [
  task('browse', async ({http}) => {
${body}
  }),
])]});
`);
  seen.clear();
  maxOpen = 0;
  try {
    return await run({workload: s.workload, host: url, users, durationMs: 1200});
  } finally {
    s.cleanup();
  }
}

describe('un-awaited requests', () => {
  it('a missing await: every request counted, one in flight per user, a warning naming the line', async () => {
    const {final} = await runTask(`    http.get('/a');`);
    const a = endpoint(final, 'GET /a');
    expect(a.requests).toBe(seen.get('/a'));
    // 1.2 s at 20 ms a request, one at a time: about 60. Unbounded, a user sent thousands.
    expect(a.requests).toBeGreaterThan(20);
    expect(a.requests).toBeLessThan(80);
    expect(maxOpen).toBe(1);
    const warning = final.warnings.find((w) => w.includes('missing await'));
    expect(warning).toMatch(/^scenario\.ts:4: task 'browse' returned before its request ended/);
    expect(final.warnings.filter((w) => w.includes('missing await'))).toHaveLength(1);
    expect(final.events.filter((e) => e.kind === 'warning' && e.text.includes('missing await'))).toHaveLength(1);
  });

  it("a loop without await: the user's requests are bounded by one task's, and all counted", async () => {
    const {final} = await runTask(`    for (let i = 0; i < 5; i++) http.get('/loop', {name: 'GET /loop'});`, 2);
    const loop = endpoint(final, 'GET /loop');
    expect(loop.requests).toBe(seen.get('/loop'));
    expect(maxOpen).toBeLessThanOrEqual(10);
    expect(loop.requests % 5).toBe(0);
    expect(final.warnings.some((w) => w.startsWith("scenario.ts:4: task 'browse'"))).toBe(true);
  });

  it('Promise.all awaited: no warning, every response counted, a check made late still fails its request', async () => {
    const {final} = await runTask(`    const [a, b] = await Promise.all([http.get('/a'), http.get('/bad')]);
    b.check(b.text() === 'ok', 'bad body');
    a.check(true);`);
    const a = endpoint(final, 'GET /a');
    const bad = endpoint(final, 'GET /bad');
    expect(a.requests).toBe(seen.get('/a'));
    expect(bad.requests).toBe(seen.get('/bad'));
    expect(bad.failures).toBe(bad.requests);
    expect(a.failures).toBe(0);
    expect(maxOpen).toBeLessThanOrEqual(2);
    expect(final.warnings.some((w) => w.includes('missing await'))).toBe(false);
  });
});
