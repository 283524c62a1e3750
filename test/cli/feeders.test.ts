// A csv() feeder that cannot work stops `brink run` before any traffic: exit 2, one line naming the
// scenario line and the file, and the target never sees a request.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {mkdirSync, readFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {countingServer, type CountingServer} from './counting-server.js';
import {runCli, printedError} from './run-cli.js';
import {tempDir} from '../helpers/run.js';

const tmp = tempDir('brink-cli-feeders-');
let server: CountingServer;
beforeAll(async () => {
  server = await countingServer();
  mkdirSync(join(tmp.dir, 'data'));
  tmp.write('data/accounts.csv', 'username,password\nann,a1\n');
});
afterAll(async () => {
  await server.close();
  tmp.cleanup();
});

const scenario = (feeder: string, read: string) => `import {scenario, user, task, csv} from 'brink';

${feeder}

export default scenario({name: 'feeders', users: [user('u', [
  task(({http}) => http.get('/home')),
  task(({http, data}) => http.post('/login', {json: {${read}}})),
])]});
`;

describe('brink run with a broken csv() feeder', () => {
  it('a missing file: exit 2, one line, and no request reaches the target', async () => {
    const file = tmp.write('shop.ts', scenario(`const accounts = csv('data/acounts.csv');`, `user: data(accounts).username`));
    const r = await runCli(['run', file, '--host', server.url, '--headless', '-t', '2s', '-u', '2', '--workers', '1']);
    expect(printedError(r.stderr)).toMatchObject({
      message: `${relative(process.cwd(), file)}:3: csv('data/acounts.csv'): no such file ${join(tmp.dir, 'data/acounts.csv')}`,
      code: 'BRINK_E_FEEDER',
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(server.total()).toBe(0);
    expect(server.connections).toBe(0);
  });

  it('a column the file lacks: exit 2, the line that reads it and the columns the file has', async () => {
    const file = tmp.write('typo.ts', scenario(`const accounts = csv('data/accounts.csv');`, `user: data(accounts).usrname`));
    const r = await runCli(['run', file, '--host', server.url, '--headless', '-t', '2s', '-u', '2', '--workers', '1']);
    expect(printedError(r.stderr).message).toBe(
      `${relative(process.cwd(), file)}:7: data(accounts) reads column 'usrname', which data/accounts.csv does not have (columns: username, password)`,
    );
    expect(r.code).toBe(2);
    expect(server.total()).toBe(0);
  });

  it('the same scenario with the right file and column runs, and its users read the rows', async () => {
    const file = tmp.write('good.ts', scenario(`const accounts = csv('data/accounts.csv');`, `user: data(accounts).username`));
    const json = join(tmp.dir, 'good.json');
    const r = await runCli(['run', file, '--host', server.url, '--headless', '-t', '1s', '-u', '2', '--workers', '1', '--json', json]);
    expect(r.code).toBe(0);
    // The login body reads the row before the request is sent: a worker that could not read the file sends none.
    expect(server.counts.get('POST /login')).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(json, 'utf8')).totals.failures).toBe(0);
  });
});
