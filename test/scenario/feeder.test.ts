import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {join} from 'node:path';
import {csv, rowFor, rows, setScenarioDir} from '../../source/scenario/feeder.js';
import {ScenarioError} from '../../source/scenario/define.js';
import {tempDir} from '../helpers/run.js';

describe('CSV feeder', () => {
  const tmp = tempDir('brink-feeder-');
  beforeAll(() => {
    tmp.write('users.csv', 'email,password\nann@x.io,a1\n bob@x.io , b2 \n\ncid@x.io,"c,3"\n');
    tmp.write('header-only.csv', 'email,password\n');
    setScenarioDir(tmp.dir);
  });
  afterAll(() => {
    setScenarioDir(process.cwd());
    tmp.cleanup();
  });

  it('reads rows keyed by the header, relative to the scenario directory', () => {
    const f = csv('users.csv');
    expect(f.kind).toBe('feeder');
    expect(f.rows()).toEqual([
      {email: 'ann@x.io', password: 'a1'},
      {email: 'bob@x.io', password: 'b2'},
      {email: 'cid@x.io', password: 'c,3'},
    ]);
  });

  it('gives each user its own row, then wraps around', () => {
    const f = csv<{email: string}>(join(tmp.dir, 'users.csv')); // absolute paths work too
    expect([0, 1, 2].map((id) => rowFor(f, id).email)).toEqual(['ann@x.io', 'bob@x.io', 'cid@x.io']);
    expect(rowFor(f, 3).email).toBe('ann@x.io');
    expect(rowFor(f, 4).email).toBe('bob@x.io');
    expect(rowFor(f, 302).email).toBe('cid@x.io');
  });

  it('is lazy: a missing file fails on first use, naming the path', () => {
    const f = csv('missing.csv'); // no throw at the scenario's top level
    expect(() => rowFor(f, 0)).toThrow(ScenarioError);
    expect(() => rowFor(f, 0)).toThrow(/csv\('missing\.csv'\)/);
    expect(() => rowFor(f, 0)).toThrow(join(tmp.dir, 'missing.csv'));
  });

  it('rejects a file without data rows', () => {
    expect(() => csv('header-only.csv').rows()).toThrow(/has no data rows/);
  });

  it('drops a byte-order mark (a file saved by Excel), so the first column keeps its name', () => {
    tmp.write('excel.csv', '\ufeffemail,password\r\nann@x.io,a1\r\n');
    expect(csv('excel.csv').rows()).toEqual([{email: 'ann@x.io', password: 'a1'}]);
  });

  it('reads the file once', () => {
    const f = csv('users.csv');
    expect(f.rows()).toBe(f.rows());
  });
});

describe('rows feeder and rowFor', () => {
  it('inline rows wrap around the same way', () => {
    const f = rows([{n: 1}, {n: 2}]);
    expect([0, 1, 2, 3, 4].map((id) => rowFor(f, id).n)).toEqual([1, 2, 1, 2, 1]);
  });

  it('rejects no rows and a non-feeder', () => {
    expect(() => rows([])).toThrow(/rows\(\[\.\.\.\]\) needs at least one row/);
    expect(() => rowFor({rows: () => [1]} as never, 0)).toThrow(/needs a feeder/);
    expect(() => rowFor(undefined as never, 0)).toThrow(ScenarioError);
  });
});
