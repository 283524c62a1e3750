// Flags from the environment (BRINK_*) and from a project's config file, merged as profiles are: the command
// line > the environment > brink.config.{json,ts} (beside the scenario, else in the directory) > a profile >
// your defaults > the built-in defaults.
import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {ProfileStore} from '../../../source/config/store.js';
import {parseWithProfiles} from '../../../source/cli/profiles/apply.js';
import {UsageError} from '../../../source/kernel/errors.js';

const root = mkdtempSync(join(tmpdir(), 'brink-sources-'));
afterAll(() => rmSync(root, {recursive: true, force: true}));
const store = await ProfileStore.open({BRINK_CONFIG_DIR: join(root, 'config')}, {writing: true});
store.save('staging', ['--host=http://from-profile:1', '--users=4', '--step=25']);

/** A project dir with a scenario in `load/` and, maybe, config files. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, 'project-'));
  mkdirSync(join(dir, 'load'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}, cwd = root) => parseWithProfiles(argv, '0.0.0', store, env, cwd);

describe('the environment', () => {
  it('BRINK_<FLAG> sets a flag; the command line wins over it; a repeatable flag takes a value a line', () => {
    const env = {BRINK_USERS: '7', BRINK_HEADLESS: 'true', BRINK_RUN_TIME: '45s', BRINK_THRESHOLD: 'p95<800ms\nerrors<1%'};
    expect(parse(['run', 'x.ts', '--host', 'http://h:1'], env)).toMatchObject({users: 7, headless: true, durationMs: 45_000});
    expect(parse(['run', 'x.ts', '--host', 'http://h:1'], env)).toMatchObject({thresholds: [{metric: 'p95'}, {metric: 'errors'}]});
    expect(parse(['run', 'x.ts', '--host', 'http://h:1', '-u', '3'], env)).toMatchObject({users: 3});
    expect(parse(['run', 'x.ts', '--host', 'http://h:1'], {BRINK_HEADLESS: '0'})).toMatchObject({headless: false});
  });

  it('wins over a profile; a bad value names the variable', () => {
    expect(parse(['run', 'x.ts', '--profile', 'staging'], {BRINK_HOST: 'http://from-env:1'})).toMatchObject({
      host: 'http://from-env:1/',
      users: 4,
    });
    expect(() => parse(['run', 'x.ts', '--host', 'http://h:1'], {BRINK_USERS: 'lots'})).toThrow(
      "-u/--users: 'lots' is not a whole number >= 0 (--users from BRINK_USERS)",
    );
    expect(() => parse(['run', 'x.ts', '--host', 'http://h:1'], {BRINK_HEADLESS: 'maybe'})).toThrow(
      "BRINK_HEADLESS: 'maybe' is not true or false",
    );
  });
});

describe('the config file', () => {
  it('brink.config.json beside the scenario sets flags by name; the environment and the command line win over it', () => {
    const dir = project({
      'load/brink.config.json': JSON.stringify({
        host: 'http://from-config:1',
        users: 12,
        'step-users': 4,
        'step-time': '10s',
        threshold: ['p95<1s'],
        headless: true,
      }),
    });
    const scenario = join(dir, 'load', 'shop.ts');
    expect(parse(['run', scenario], {}, dir)).toMatchObject({
      host: 'http://from-config:1/',
      users: 12,
      headless: true,
      thresholds: [{limit: 1000}],
    });
    expect(parse(['run', scenario], {BRINK_USERS: '8'}, dir)).toMatchObject({users: 8, host: 'http://from-config:1/'});
    expect(parse(['run', scenario, '--host', 'http://typed:1'], {}, dir)).toMatchObject({host: 'http://typed:1/'});
  });

  it('one in the directory brink runs in serves quick mode; it wins over a profile', () => {
    const dir = project({'brink.config.json': '{"users": 9, "timeout": "5s"}'});
    expect(parse(['http://127.0.0.1:1/', '--profile', 'staging'], {}, dir)).toMatchObject({connections: 9, timeoutMs: 5000, step: 25});
  });

  it('brink.config.ts: an object literal with types', () => {
    const dir = project({
      'brink.config.ts': "const users: number = 6;\nexport default {users, host: 'http://ts:1'} satisfies Record<string, unknown>;\n",
    });
    expect(parse(['run', join(dir, 'load', 'x.ts')], {}, dir)).toMatchObject({users: 6, host: 'http://ts:1/'});
  });

  it('a key that is not a flag, or a list for a single flag, is an error naming the file and the key', () => {
    const typo = project({'brink.config.json': '{"usrs": 9}'});
    expect(() => parse(['run', 'x.ts'], {}, typo)).toThrow(UsageError);
    expect(() => parse(['run', 'x.ts'], {}, typo)).toThrow("brink.config.json: 'usrs' is not a flag a config file can set");
    expect(() => parse(['run', 'x.ts'], {}, project({'brink.config.json': '{"users": [1, 2]}'}))).toThrow(
      "'users' takes one value, not a list",
    );
    expect(() => parse(['run', 'x.ts'], {}, project({'brink.config.json': '{"users": '}))).toThrow(/brink\.config\.json: /);
  });
});
