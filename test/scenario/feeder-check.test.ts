// csv() feeders checked when the scenario loads: real files in a temp dir, the real loader (esbuild, the
// import, source-mapped stacks). Each failure is one line naming the scenario line and the file.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {mkdirSync} from 'node:fs';
import {join, relative} from 'node:path';
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {fileURLToPath} from 'node:url';
import {loadScenario, ScenarioLoadError} from '../../source/scenario/load.js';
import {tempDir} from '../helpers/run.js';

const tmp = tempDir('brink-feeder-check-');
/** A path as the loader shows it. */
const shown = (name: string) => relative(process.cwd(), join(tmp.dir, name));

beforeAll(() => {
  mkdirSync(join(tmp.dir, 'data'));
  mkdirSync(join(tmp.dir, 'lib'));
  mkdirSync(join(tmp.dir, 'data/folder.csv'));
  tmp.write('data/accounts.csv', 'username,password,first name\nann,a1,Ann\nbob,b2,Bob\n');
  tmp.write('data/empty.csv', '');
  tmp.write('data/header-only.csv', 'username,password\n');
  tmp.write('data/broken.csv', 'username,password\nann,a1,extra\n');
});
afterAll(() => tmp.cleanup());

/** Loads `source` as `name` in the temp dir: the error message, or 'loaded'. */
async function load(source: string, name = 'scenario.ts'): Promise<string> {
  const file = tmp.write(name, source);
  try {
    const loaded = await loadScenario(file);
    loaded.dispose();
    return 'loaded';
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioLoadError);
    return (error as Error).message;
  }
}

const HEAD = `import {scenario, user, task, csv, rows} from 'brink';`;
const USERS = `export default scenario({users: [user('u', [task(() => {})])]});`;

describe('csv() files are checked when the scenario loads', () => {
  it('a missing file names the scenario line, the resolved file and the path as written', async () => {
    const message = await load(`${HEAD}

// the accounts
const accounts = csv('data/acounts.csv');
${USERS}
`);
    expect(message).toBe(`${shown('scenario.ts')}:4: csv('data/acounts.csv'): no such file ${join(tmp.dir, 'data/acounts.csv')}`);
  });

  it('an empty file, a header without rows, a file that does not parse, a directory', async () => {
    const cases: Array<[string, string]> = [
      ['data/empty.csv', `is empty: it needs a header line of column names, then a row per user`],
      ['data/header-only.csv', `has no data rows, only its header (username, password)`],
      ['data/broken.csv', `is not valid CSV: Invalid Record Length: columns length is 2, got 3 on line 2`],
    ];
    for (const [path, says] of cases) {
      expect(await load(`${HEAD}\nconst f = csv('${path}');\n${USERS}\n`)).toBe(
        `${shown('scenario.ts')}:2: csv('${path}'): ${join(tmp.dir, path)} ${says}`,
      );
    }
    expect(await load(`${HEAD}\nconst f = csv('data/folder.csv');\n${USERS}\n`)).toMatch(
      new RegExp(`^${shown('scenario.ts')}:2: csv\\('data/folder\\.csv'\\): cannot read ${join(tmp.dir, 'data/folder.csv')}: EISDIR`),
    );
  });

  it('a csv() in a module the scenario imports names that module and its line', async () => {
    tmp.write('lib/feeders.ts', `import {csv} from 'brink';\n\nexport const accounts = csv('data/nope.csv');\n`);
    const message = await load(`${HEAD}\nimport {accounts} from './lib/feeders.js';\nvoid accounts;\n${USERS}\n`);
    // Relative paths resolve next to the scenario brink loads (as in the workers), not next to the module.
    expect(message).toBe(`${shown('lib/feeders.ts')}:3: csv('data/nope.csv'): no such file ${join(tmp.dir, 'data/nope.csv')}`);
  });

  it('a good file loads, and so does a scenario with rows() only', async () => {
    expect(await load(`${HEAD}\nconst accounts = csv('data/accounts.csv');\n${USERS}\n`)).toBe('loaded');
    expect(await load(`${HEAD}\nconst people = rows([{name: 'x'}]);\n${USERS}\n`)).toBe('loaded');
    expect(await load(`${HEAD}\nconst people = rows([]);\n${USERS}\n`)).toBe(
      `${shown('scenario.ts')}:2: rows([...]) needs at least one row`,
    );
  });

  it('records only while loading: csv() calls made later, or by a scenario that failed to import, are not kept', async () => {
    const recorders = (globalThis as Record<symbol, Set<unknown> | undefined>)[Symbol.for('brink.csv-calls')];
    expect(await load(`${HEAD}\nconst a = csv('data/accounts.csv');\nthrow new Error('boom');\n`)).toMatch(/scenario\.ts:3: boom$/);
    expect(recorders?.size ?? 0).toBe(0);
  });
});

describe('the columns a scenario reads must be in the file', () => {
  const ACCOUNTS = `const accounts = csv<{username: string; password: string}>('data/accounts.csv');`;
  const has = `which data/accounts.csv does not have (columns: username, password, first name)`;

  it('destructuring: a missing column names the line that reads it; renames read the key; defaults are optional', async () => {
    expect(
      await load(`${HEAD}
${ACCOUNTS}
export default scenario({users: [user('u', {
  async onStart({http, data}) {
    const {username: name, password, nickname = name} = data(accounts);
    await http.post('/login', {json: {name, password, nickname}});
  },
}, [task(({data}) => {
  const {usrname} = data(accounts);
  return usrname;
})])]});
`),
    ).toBe(`${shown('scenario.ts')}:9: data(accounts) reads column 'usrname', ${has}`);
  });

  it('a direct read, a variable bound to the row, a typed feeder', async () => {
    const body = (task: string) =>
      `${HEAD}\n${ACCOUNTS}\nexport default scenario({users: [user('u', [task(async ({http, data}) => {\n${task}\n})])]});\n`;
    expect(await load(body(`await http.get('/u/' + data(accounts).username);\nawait http.get('/e/' + data(accounts).email);`))).toBe(
      `${shown('scenario.ts')}:5: data(accounts) reads column 'email', ${has}`,
    );
    expect(await load(body(`const row = data(accounts);\nawait http.post('/login', {json: {u: row.username, p: row.pasword}});`))).toBe(
      `${shown('scenario.ts')}:5: data(accounts) reads column 'pasword', ${has}`,
    );
    expect(
      await load(
        body(`const row = data(accounts);\nconst {username, ['first name']: first} = row;\nreturn row['first name'] + username + first;`),
      ),
    ).toBe('loaded');
    expect(await load(`${HEAD}\nconst accounts = csv<{\n  username: string;\n  email: string;\n}>('data/accounts.csv');\n${USERS}\n`)).toBe(
      `${shown('scenario.ts')}:4: csv('data/accounts.csv') is typed with column 'email', ${has}`,
    );
  });

  it('forms it cannot follow are not checked, never wrongly reported', async () => {
    expect(
      await load(`${HEAD}
${ACCOUNTS}
const column = 'email';
function login(ctx, accounts) { return ctx.data(accounts).email; } // another accounts
export default scenario({users: [user('u', [task(({data}) => {
  const row = data(accounts) ?? {email: ''};
  return [data(accounts)[column], row.email, login];
})])]});
`),
    ).toBe('loaded');
  });
});

describe('what the check costs a scenario without csv()', () => {
  // A child process runs the built loader on one example scenario and reports whether the CSV parser or
  // the check itself was loaded (through require, or import as the resolve hook sees it).
  const CHILD = (scenario: string) => `
import {register, createRequire} from 'node:module';
import {MessageChannel} from 'node:worker_threads';
const {port1, port2} = new MessageChannel();
const imported = [];
port1.on('message', (url) => imported.push(url));
register('data:text/javascript,' + encodeURIComponent('let port; export function initialize(d) { port = d.port; } export async function resolve(s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r; }'), {data: {port: port2}, transferList: [port2]});
const {loadScenario} = await import('./dist/scenario/load.js');
(await loadScenario(${JSON.stringify(scenario)})).dispose();
await new Promise((r) => setTimeout(r, 50));
const all = [...imported, ...Object.keys(createRequire(import.meta.url).cache)];
console.log(JSON.stringify({csvParse: all.some((p) => p.includes('/csv-parse/')), check: all.some((p) => p.endsWith('/feeder-check.js'))}));
port1.close();
`;
  const loads = async (scenario: string) => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const {stdout} = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CHILD(scenario)], {cwd: root});
    return JSON.parse(stdout) as {csvParse: boolean; check: boolean};
  };

  it('loads neither the CSV parser nor the check; a scenario with csv() loads both', async () => {
    const [browse, shop] = await Promise.all([loads('scenarios/browse.ts'), loads('scenarios/shop-api.ts')]);
    expect(browse).toEqual({csvParse: false, check: false});
    expect(shop).toEqual({csvParse: true, check: true});
  });
});
