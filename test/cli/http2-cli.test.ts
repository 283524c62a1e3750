// The built CLI with HTTP/2: a scenario's own `http2: true` is enough (no --http2), and the summary says what
// went over h2: totals.protocols and totals.retries in the JSON, the protocol next to the connections in the text.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startH2Server, type H2Server} from '../helpers/h2-server.js';
import {tempDir} from '../helpers/run.js';
import {runCli} from './run-cli.js';
import type {Summary} from '../../source/report/summary.js';

let server: H2Server;
beforeAll(async () => {
  server = await startH2Server({tls: true});
});
afterAll(() => server?.close());

describe('brink run with a scenario that says http2: true', () => {
  it('speaks h2 without --http2, and the summary reports protocols, retries and connections', async () => {
    const tmp = tempDir();
    try {
      const file = tmp.write(
        'h2.ts',
        `import {scenario, user, task} from 'brink';
export default scenario({http2: true, users: [user('u', [task(async ({http}) => { await http.get('/h2', {name: 'GET /h2'}); })])]});
`,
      );
      const json = join(tmp.dir, 'summary.json');
      const result = await runCli(['run', file, '--host', server.url, '--insecure', '-u', '4', '-t', '1s', '--headless', '--json', json]);
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(readFileSync(json, 'utf8')) as Summary;
      const seen = server.streams()['GET /h2'];
      expect(seen).toBeGreaterThan(20);
      expect(server.versions()).toEqual({'2.0': seen});
      expect(summary.totals.requests).toBe(seen);
      expect(summary.totals.protocols).toEqual({h2: seen});
      expect(summary.totals.retries).toBe(0);
      expect(summary.connections?.opened).toBe(server.sessions());
      expect(result.stdout).toMatch(/connections \d+ opened \(h2\)/);
    } finally {
      tmp.cleanup();
    }
  }, 30_000);
});
