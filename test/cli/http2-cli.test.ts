// The built CLI with HTTP/2: a scenario's own `http2: true` is enough (no --http2), and the summary says what
// went over h2: totals.protocols and totals.retries in the JSON, the protocol next to the connections in the text.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
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

  it('scenarios/http2-page.ts: a page and what it refers to, fetched at once, all as streams of one connection', async () => {
    const tmp = tempDir();
    try {
      const before = server.streams();
      const sessions = server.sessions();
      const json = join(tmp.dir, 'summary.json');
      const example = fileURLToPath(new URL('../../scenarios/http2-page.ts', import.meta.url));
      const args = ['run', example, '--host', server.url, '--insecure', '-u', '20', '-r', '100', '-t', '2s', '--workers', '1'];
      const result = await runCli([...args, '--headless', '--json', json]);
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(readFileSync(json, 'utf8')) as Summary;
      const after = server.streams();
      const served = (prefix: string) =>
        Object.entries(after)
          .filter(([k]) => k.startsWith(prefix))
          .reduce((n, [k, v]) => n + v - (before[k] ?? 0), 0);
      const count = (key: string) => summary.endpoints.find((e) => `${e.method} ${e.name}` === key)?.requests ?? 0;
      // Every reader loads an article or the home page at once (the think time comes after a task).
      expect(count('GET /articles/:id') + count('GET /')).toBeGreaterThanOrEqual(20);
      expect(count('GET /articles/:id')).toBe(served('GET /articles/'));
      expect(count('GET /api/articles/:id/comments')).toBe(served('GET /api/articles/'));
      for (const asset of ['/static/app.js', '/static/app.css', '/static/logo.svg']) {
        expect(count(`GET ${asset}`)).toBe(served(`GET ${asset}`));
        expect(count(`GET ${asset}`)).toBe(count('GET /articles/:id'));
      }
      expect(summary.totals.failures).toBe(0);
      expect(summary.totals.protocols).toEqual({h2: summary.totals.requests});
      // 20 users and up to 4 requests each at once: one h2 connection carries them all (100 streams).
      expect(server.sessions() - sessions).toBe(1);
      expect(summary.connections?.opened).toBe(1);
    } finally {
      tmp.cleanup();
    }
  }, 30_000);
});
