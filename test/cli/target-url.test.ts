// A target URL's `user:pass@` (quick mode's URL, --host) is sent as HTTP Basic auth, through the built CLI, and its
// password shows in no output, not even echoed back by the target.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {countingServer, type CountingServer} from './counting-server.js';
import {runCli} from './run-cli.js';
import type {Summary} from '../../source/report/summary.js';

const dir = mkdtempSync(join(tmpdir(), 'brink-basic-'));
let server: CountingServer;
/** The Authorization header of each request, as the server got it. */
const authorizations: Array<string | undefined> = [];
beforeAll(async () => {
  server = await countingServer((req, res) => {
    authorizations.push(req.headers.authorization);
    if (req.url?.startsWith('/echo')) {
      // An error page that echoes the request's credentials: they must not reach any output.
      const basic = (req.headers.authorization ?? '').replace(/^Basic /, '');
      res.statusCode = 500;
      res.end(`denied: authorization was ${req.headers.authorization}; user:password ${Buffer.from(basic, 'base64')}`);
      return true;
    }
    return false;
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, {recursive: true, force: true});
});

const quick = (path = '/', ...more: string[]) => [`${server.url}${path}`, '-c', '1', '-d', '1s', '--workers', '1', '--headless', ...more];

describe("a URL's user:pass@ is Basic auth, and its password shows nowhere", {timeout: 30_000}, () => {
  const basic = `Basic ${Buffer.from('bob:hunter2-pw').toString('base64')}`;

  it('quick mode: every request carries it; the error page echoing it is redacted in every output', async () => {
    const json = join(dir, 'basic.json');
    authorizations.length = 0;
    const r = await runCli([server.url.replace('://', '://bob:hunter2-pw@') + '/echo', ...quick('/', '--json', json).slice(1)]);
    // Every request got the error page: nothing succeeded, so the run is no pass (and says why, redacted too).
    expect(r.code).toBe(99);
    expect(r.stderr).toMatch(/^brink: no request succeeded: [\d,]+ × 500 server error → exit 99$/m);
    expect(authorizations.length).toBeGreaterThan(0);
    expect(new Set(authorizations)).toEqual(new Set([basic]));
    const summary = JSON.parse(readFileSync(json, 'utf8')) as Summary;
    expect(summary.target).toBe(server.url);
    expect(summary.totals.requests).toBe(authorizations.length);
    expect(summary.endpoints[0].errors[0].body).toMatch(/^denied: authorization was Basic \*\*\*; user:password bob:\*\*\*$/);
    for (const output of [r.stdout, r.stderr, readFileSync(json, 'utf8')]) {
      expect(output).not.toContain('hunter2');
      expect(output).not.toContain(basic.slice(6));
    }
  });

  it('… from --host too; a -H Authorization of its own wins', async () => {
    authorizations.length = 0;
    const host = server.url.replace('://', '://bob:hunter2-pw@');
    const r = await runCli(['/', '--host', host, '-c', '1', '-d', '500ms', '--workers', '1', '-H', 'Authorization: Bearer own-token-1']);
    expect(r.code).toBe(0);
    expect(new Set(authorizations)).toEqual(new Set(['Bearer own-token-1']));
    expect(r.stdout + r.stderr).not.toMatch(/hunter2|own-token-1/);
  });

  it('a scenario run: every request to --host carries it; a request with an Authorization of its own keeps that', async () => {
    authorizations.length = 0;
    const scenario = join(dir, 'basic-scenario.ts');
    writeFileSync(
      scenario,
      `import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {}, [
  task(async ({http}) => {
    await http.get('/');
    await http.get('/', {headers: {authorization: 'Bearer task-token-2'}});
  }),
])]});
`,
    );
    const host = server.url.replace('://', '://bob:hunter2-pw@');
    const r = await runCli(['run', scenario, '--host', host, '-u', '1', '-t', '700ms', '--workers', '1', '--headless']);
    expect(r.code).toBe(0);
    expect(authorizations.length).toBeGreaterThan(1);
    expect(authorizations.filter((a) => a === basic).length).toBeGreaterThan(0);
    expect(new Set(authorizations)).toEqual(new Set([basic, 'Bearer task-token-2']));
    expect(r.stdout + r.stderr).not.toMatch(/hunter2|task-token-2/);
  });
});
