// Flag mistakes through the built CLI: one line on stderr, exit 2, and nothing started (no request reaches the
// server, the scenario is not loaded, no profile is written).
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {countingServer, type CountingServer} from './counting-server.js';
import {runCli, printedError} from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'brink-mistakes-'));
const config = join(dir, 'config');
const marker = join(dir, 'loaded');
const scenario = join(dir, 'marks.ts');
let server: CountingServer;
beforeAll(async () => {
  server = await countingServer();
  writeFileSync(
    scenario,
    `import {writeFileSync} from 'node:fs';
import {scenario, user, task} from 'brink';
writeFileSync(${JSON.stringify(marker)}, 'loaded');
export default scenario({users: [user('u', {}, [task(({http}) => http.get('/'))])]});
`,
  );
});
afterAll(async () => {
  await server.close();
  rmSync(dir, {recursive: true, force: true});
});

describe('flag mistakes are usage errors that start nothing', {timeout: 30_000}, () => {
  const cases: Array<[string, () => string[], string]> = [
    [
      'an unknown flag names the nearest one the command takes',
      () => ['run', scenario, '--host', server.url, '--treshold', 'p95<1s'],
      'unknown flag --treshold; did you mean --threshold?',
    ],
    ['… in quick mode too', () => [`${server.url}/`, '--hedless'], 'unknown flag --hedless; did you mean --headless?'],
    [
      '… a negated boolean',
      () => ['run', scenario, '--host', server.url, '--no-colour'],
      'unknown flag --no-colour; did you mean --no-color?',
    ],
    ["… and init's", () => ['init', join(dir, 'x.ts'), '--forse'], 'unknown flag --forse; did you mean --force?'],
    [
      'with nothing near, it says where the flags are',
      () => [`${server.url}/`, '--bogus'],
      'unknown flag --bogus for quick mode (see brink <url> --help)',
    ],
    [
      'a flag given twice names it',
      () => [`${server.url}/`, '-m', 'GET', '--method', 'POST'],
      '-m/--method given twice: it takes one value',
    ],
    [
      '… a boolean too',
      () => ['run', scenario, '--host', server.url, '--headless', '--no-headless'],
      '--headless given twice: it takes one value',
    ],
    [
      '… and at save, so a profile keeps what was meant',
      () => ['profile', 'save', 'p', '-u', '5', '-u', '7'],
      '-u/--users given twice: it takes one value',
    ],
    [
      "another command's flag says whose it is",
      () => ['run', scenario, '--host', server.url, '--pattern', 'api'],
      '-p/--pattern goes with brink init',
    ],
    [
      '… and a load flag of another mode, typed',
      () => ['run', scenario, '--host', server.url, '-m', 'POST'],
      '-m/--method goes with quick mode',
    ],
    ['… quick mode too', () => [`${server.url}/`, '--serve-only'], '--serve-only goes with brink demo'],
    ['an unknown command names the nearest one', () => ['rnu', scenario], "unknown command 'rnu'; did you mean brink run?"],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const started = performance.now();
      const r = await runCli(args(), {BRINK_CONFIG_DIR: config});
      expect(printedError(r.stderr).message).toBe(message);
      expect(r.code).toBe(2);
      expect(performance.now() - started).toBeLessThan(5000); // a run would last 10 s (quick mode's default) or more
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(server.connections).toBe(0);
      expect(existsSync(marker)).toBe(false);
      expect(existsSync(join(config, 'config.json'))).toBe(false);
      expect(existsSync(join(dir, 'x.ts'))).toBe(false);
    });
  }

  it('a repeatable flag may be given twice', async () => {
    const r = await runCli(
      [
        `${server.url}/`,
        '-H',
        'A: 1',
        '-H',
        'B: 2',
        '--threshold',
        'p95<5s',
        '--threshold',
        'errors<1%',
        '-c',
        '1',
        '-d',
        '500ms',
        '--workers',
        '1',
      ],
      {BRINK_CONFIG_DIR: config},
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(server.connections).toBeGreaterThan(0);
  });
});
