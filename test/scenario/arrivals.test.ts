// The open model set from the scenario file (`plan: arrivals({rate, maxUsers})`), run through the CLI: the
// iterations fall due at the rate, whatever the users, and the command line's flags still win.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../cli/run-cli.js';
import {arrivals} from '../../source/scenario/plans.js';
import {ScenarioError} from '../../source/scenario/define.js';
import type {Summary} from '../../source/report/summary.js';

let server: http.Server;
let url: string;
let served = 0;
const dir = mkdtempSync(join(tmpdir(), 'brink-arrivals-'));
beforeAll(async () => {
  server = http.createServer((_req, res) => {
    served++;
    setTimeout(() => res.end('ok'), 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, {recursive: true, force: true});
});

describe('arrivals() in a scenario', () => {
  it('runs the open model at its rate with its cap on users', async () => {
    const file = join(dir, 'open.ts');
    writeFileSync(
      file,
      `import {scenario, user, task, arrivals} from 'brink';
export default scenario({plan: arrivals({rate: 40, maxUsers: 5}), users: [user('u', [task(({http}) => http.get('/'))])]});\n`,
    );
    const json = join(dir, 'open.json');
    const before = served;
    const r = await runCli(['run', file, '--host', url, '-t', '3s', '--headless', '--workers', '1', '--json', json]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(readFileSync(json, 'utf8')) as Summary;
    expect(s.plan).toMatch(/open model, at most 5 users/);
    expect(s.totals.scheduled! / 3).toBeGreaterThan(40 * 0.85);
    expect(s.totals.scheduled! / 3).toBeLessThan(40 * 1.15);
    expect(s.totals.requests).toBe(served - before);
    expect(s.series.at(-1)?.rate).toBe(40);
  });

  it('checks its numbers where the scenario is loaded', () => {
    expect(() => arrivals({rate: 0})).toThrow(ScenarioError);
    expect(() => arrivals({rate: 10, maxUsers: 0})).toThrow('arrivals maxUsers must be at least 1');
    expect(
      arrivals({
        rate: [
          ['30s', 10],
          ['1m', 50],
        ],
        maxUsers: 20,
      }),
    ).toMatchObject({unit: 'rate', maxUsers: 20, stages: [{users: 10}, {users: 50}]});
  });
});
