// A server closes a kept-alive connection once it has been idle for its keep-alive timeout (Node's default
// is 5 s, and it says so in `Keep-Alive: timeout=5`). A user whose think time is about that long must not
// send its next request into a connection the server is closing: it opens a new one in time, as undici
// does, and nothing fails.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {endpoint, run, scenarioFile} from '../../helpers/run.js';
import {countingServer, type CountingServer} from '../../cli/counting-server.js';

let server: CountingServer;
beforeAll(async () => {
  // Says `Keep-Alive: timeout=1`.
  server = await countingServer(undefined, (s) => {
    s.keepAliveTimeout = 1000;
  });
});
afterAll(async () => {
  await server.close();
});

describe('a server that closes idle connections', () => {
  it('gets no request on a connection it is closing: think time as long as its keep-alive timeout fails nothing', async () => {
    const sc = await scenarioFile(`import {scenario, user, task, constant} from 'brink';
export default scenario({users: [user('u', {wait: constant(2.0)}, [task(({http}) => http.get('/'))])]});
`);
    try {
      const {final} = await run({workload: sc.workload, host: server.url, users: 6, durationMs: 7000});
      const requests = endpoint(final, 'GET /').requests;
      expect(requests).toBeGreaterThanOrEqual(6 * 3);
      expect(requests).toBe(server.total());
      expect(final.totals.failures, JSON.stringify(final.totals.failuresByKind)).toBe(0);
      // Each user waited out the server's timeout between requests: connections were opened anew.
      expect(server.connections).toBeGreaterThanOrEqual(requests - 6);
      expect(final.connections.opened).toBe(server.connections);
    } finally {
      sc.cleanup();
    }
  }, 30_000);
});
