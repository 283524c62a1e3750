// Redirects, the host guard and stripped headers as the command line sets them: --max-redirects, --strip-header
// and --yes reach the workers, and what they did shows in the summary. Loopback only: the redirect to 203.0.113.10
// (TEST-NET-3) is held back by the workers' guard before any connection is tried.
import {afterEach, describe, expect, it} from 'vitest';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {countingServer, type CountingServer} from './counting-server.js';
import {printedError, runCli} from './run-cli.js';
import {parseArgs} from '../../source/cli/parse.js';

const dir = mkdtempSync(join(tmpdir(), 'brink-redirects-'));
let server: CountingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server whose /hop redirects to /end, and /away to a public address. */
async function redirecting(): Promise<CountingServer> {
  return countingServer((req, res) => {
    if (req.url === '/hop') res.writeHead(302, {location: '/end'}).end();
    else if (req.url === '/away') res.writeHead(302, {location: 'http://203.0.113.10:8080/end'}).end();
    else return false;
    return true;
  });
}

describe('quick mode and redirects, from the command line', () => {
  it('follows redirects by default, one request each; --max-redirects 0 takes the 3xx as the response', async () => {
    server = await redirecting();
    const json = join(dir, 'follow.json');
    expect((await runCli([`${server.url}/hop`, '-c', '2', '-d', '1s', '--workers', '1', '--json', json])).code).toBe(0);
    const followed = JSON.parse(readFileSync(json, 'utf8')).endpoints[0];
    expect(followed.statusCodes).toEqual({200: followed.requests});
    expect(followed.redirects).toEqual({count: followed.requests, to: {'/end': followed.requests}});
    expect(server.counts.get('GET /hop')).toBe(followed.requests);
    expect(server.counts.get('GET /end')).toBe(followed.requests);

    const before = server.counts.get('GET /end');
    const json0 = join(dir, 'nofollow.json');
    const r = await runCli([`${server.url}/hop`, '-c', '2', '-d', '1s', '--workers', '1', '--max-redirects', '0', '--json', json0]);
    expect(r.code).toBe(0);
    const kept = JSON.parse(readFileSync(json0, 'utf8')).endpoints[0];
    expect(kept.statusCodes).toEqual({302: kept.requests});
    expect(kept.redirects).toBeUndefined();
    expect(server.counts.get('GET /end')).toBe(before);
  });

  it('holds back a redirect to a public address without --yes: blocked_host, and a warning naming the host and --yes', async () => {
    server = await redirecting();
    const json = join(dir, 'blocked.json');
    const r = await runCli([`${server.url}/away`, '-c', '1', '-d', '1s', '--workers', '1', '--json', json]);
    // Nothing got through: a run in which no request succeeded exits 99, naming the cause.
    expect(r.code).toBe(99);
    expect(r.stdout + r.stderr).toMatch(/no request succeeded: [\d ,]+ × requests held back from a public host/);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    const e = summary.endpoints[0];
    expect(e.failuresByKind).toEqual({blocked_host: e.requests});
    expect(e.requests).toBe(server.counts.get('GET /away'));
    const warning = '203.0.113.10 is not a loopback or private address: the request was not sent (pass --yes to load hosts that are)';
    expect(summary.warnings).toContain(warning);
    expect(summary.events.filter((x: {kind: string; text: string}) => x.kind === 'warning' && x.text === warning)).toHaveLength(1);
    expect(r.stdout).toContain(`warning: ${warning}`);
  });
});

describe('the flags', () => {
  it('--max-redirects takes a count from 0; --strip-header a header name, repeatable, in lower case', () => {
    const quick = (...flags: string[]) => parseArgs(['http://127.0.0.1:1/', ...flags], '0');
    expect(quick()).toMatchObject({maxRedirects: 10, stripHeaders: []});
    expect(quick('--max-redirects', '0')).toMatchObject({maxRedirects: 0});
    expect(quick('--strip-header', 'X-Auth-Token', '--strip-header', 'x-tenant')).toMatchObject({
      stripHeaders: ['x-auth-token', 'x-tenant'],
    });
    expect(parseArgs(['run', 'x.ts', '--strip-header', 'X-A'], '0')).toMatchObject({stripHeaders: ['x-a']});
    expect(() => quick('--max-redirects', '-1')).toThrow(/--max-redirects/);
    expect(() => quick('--strip-header', 'X Token:')).toThrow(/--strip-header: 'X Token:' is not a header name/);
  });

  it('a bad --strip-header is one error line naming the flag', async () => {
    const r = await runCli(['http://127.0.0.1:1/', '--strip-header', 'a b']);
    expect(r.code).toBe(2);
    expect(printedError(r.stderr)).toMatchObject({code: 'BRINK_E_FLAG_VALUE'});
  });
});
