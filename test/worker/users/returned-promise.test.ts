// A task that returns its request's promise as it is (`task(({http}) => http.get(…))`, as the bench's scenarios do)
// rather than awaiting it. The server is the judge that it behaves as a task that awaits: each request counted once,
// one at a time a user, a check hung on the promise counted, the task timeout kept.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFaultServer, type FaultServer} from '../../helpers/fault-server.js';
import {endpoint, run, scenarioFile, scriptErrorCount} from '../../helpers/run.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(async () => {
  await server.close();
});

async function runScenario(source: string, users: number, durationMs: number, taskTimeoutMs?: number) {
  const sc = await scenarioFile(source);
  const before = server.requests.length;
  server.resetMax();
  try {
    const {final} = await run({workload: sc.workload, host: server.url, users, durationMs, ...(taskTimeoutMs ? {taskTimeoutMs} : {})});
    return {final, seen: server.requests.slice(before)};
  } finally {
    sc.cleanup();
  }
}

describe('a task that returns its request’s promise as it is', () => {
  it('goes on to its next task as the request ends: each counted once, one request at a time a user', async () => {
    const {final, seen} = await runScenario(
      `import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', [task(({http}) => http.get('/hold?ms=5', {name: 'held'}))])]});
`,
      3,
      800,
    );
    const held = endpoint(final, 'GET held');
    // Were the user not told, it would stop after its first request (3 in all).
    expect(held.requests).toBeGreaterThan(30);
    expect(held.requests).toBe(seen.filter((r) => r.path === '/hold').length);
    expect(held.failures).toBe(0);
    expect(server.concurrency.max).toBeLessThanOrEqual(3);
  });

  it('a check the script hangs on that promise counts, though it runs after the user moved on', async () => {
    const {final, seen} = await runScenario(
      `import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', [task(({http}) => {
  const res = http.get('/ok', {name: 'late'});
  res.then((r) => r.check(false, 'checked late'));
  return res;
})])]});
`,
      2,
      600,
    );
    const late = endpoint(final, 'GET late');
    expect(late.requests).toBeGreaterThan(10);
    expect(late.requests).toBe(seen.filter((r) => r.path === '/ok').length);
    expect(late.failuresByKind).toEqual({check: late.requests});
  });

  it('outliving the task timeout, it is abandoned once: its late end neither restarts the user nor goes uncounted', async () => {
    const {final, seen} = await runScenario(
      `import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', [task('slow', ({http}) => http.get('/hold?ms=350', {name: 'slow'}))])]});
`,
      1,
      2000,
      200,
    );
    const abandoned = scriptErrorCount(final, 'slow');
    const slow = endpoint(final, 'GET slow');
    const sent = seen.filter((r) => r.path === '/hold').length;
    // Each task is abandoned at 200 ms (or a little later); its request ends at 350, beside the next task's. A user
    // told twice would run two loops: three requests at once, and more of them.
    expect(abandoned).toBeGreaterThanOrEqual(4);
    expect(server.concurrency.max).toBeLessThanOrEqual(2);
    expect(sent).toBeLessThanOrEqual(abandoned + 2);
    // Each late response is recorded when it ends (the last may still be out when the run stops).
    expect(slow.requests).toBeGreaterThanOrEqual(sent - 1);
    expect(slow.requests).toBeLessThanOrEqual(sent);
  });
});
