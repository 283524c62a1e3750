// A server closes a kept-alive connection once it has been idle for its keep-alive timeout (Node's default
// is 5 s, and it says so in `Keep-Alive: timeout=5`). A user whose think time is about that long must not
// send its next request into a connection the server is closing: it opens a new one in time, as undici
// does, and nothing fails.
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {endpoint, run, scenarioFile} from '../helpers/run.js';

let server: Server;
let url = '';
let connections = 0;
let served = 0;
beforeAll(async () => {
  server = createServer((_req, res) => {
    served++;
    res.end('ok');
  });
  server.keepAliveTimeout = 1000; // says `Keep-Alive: timeout=1`
  server.on('connection', () => { connections++; });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('a server that closes idle connections', () => {
  it('gets no request on a connection it is closing: think time as long as its keep-alive timeout fails nothing', async () => {
    const sc = await scenarioFile(`import {scenario, user, task, constant} from 'brink';
export default scenario({users: [user('u', {wait: constant(2.0)}, [task(({http}) => http.get('/'))])]});
`);
    try {
      const {final} = await run({workload: sc.workload, host: url, users: 6, durationMs: 7000});
      const requests = endpoint(final, "GET /").requests;
      expect(requests).toBeGreaterThanOrEqual(6 * 3);
      expect(requests).toBe(served);
      expect(final.totals.failures, JSON.stringify(final.totals.failuresByKind)).toBe(0);
      // Each user waited out the server's timeout between requests: connections were opened anew.
      expect(connections).toBeGreaterThanOrEqual(requests - 6);
      expect(final.connections.opened).toBe(connections);
    } finally {
      sc.cleanup();
    }
  }, 30_000);
});
