// A worker too busy to answer the controller's snapshot request in time (a scenario that blocks its event
// loop, a saturated host) must not put intervals of 0 req/s in the series: its late answer folds into the
// next interval, whose rate then spans both.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFaultServer, type FaultServer} from '../helpers/fault-server.js';
import {endpoint, run, scenarioFile} from '../helpers/run.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(async () => {
  await server.close();
});

describe('late snapshots', () => {
  it('leave no empty interval behind; every request is counted once', async () => {
    // Each task: a burst of requests, then 300 ms with the event loop blocked (longer than the 125 ms the
    // controller waits for answers at a 250 ms interval).
    const sc = await scenarioFile(`import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {}, [task(async ({http}) => {
  for (let i = 0; i < 10; i++) await http.get('/ok');
  const end = Date.now() + 300;
  while (Date.now() < end) { /* busy */ }
})])]});
`);
    const before = server.count('GET /ok');
    try {
      const {final} = await run({workload: sc.workload, host: server.url, users: 1, durationMs: 3000, intervalMs: 250});
      const points = final.series.slice(1); // the first interval may come before the first burst
      expect(points.length).toBeGreaterThan(4);
      expect(points.filter((p) => p.requests === 0).map((p) => p.t)).toEqual([]);
      expect(endpoint(final, 'GET /ok').requests).toBe(server.count('GET /ok') - before);
    } finally {
      sc.cleanup();
    }
  });
});
