// Help and the version print and exit at once: no scenario loaded, no server started, no request sent, no
// file written. Each case below would start something without its --help (or -h, --version, -V).
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {countingServer, type CountingServer} from './counting-server.js';
import {runCli} from './run-cli.js';
import {FLAGS, flagsOf, type FlagName} from '../../source/cli/flags.js';
import {COMMANDS, type CommandName} from '../../source/cli/commands.js';
import {kebab} from '../../source/cli/scan.js';

const dir = mkdtempSync(join(tmpdir(), 'brink-help-'));
const config = join(dir, 'config');
const marker = join(dir, 'loaded');
const scenario = join(dir, 'marks.ts');
const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}).version;
let server: CountingServer;
beforeAll(async () => {
  server = await countingServer();
  // Loading this scenario leaves a file behind: proof that it was (or was not) loaded.
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

/** The CLI as a user runs it, timed, with a config dir of its own. */
async function brink(args: string[]) {
  const started = performance.now();
  const r = await runCli(args, {BRINK_CONFIG_DIR: config});
  return {...r, ms: performance.now() - started};
}

/** Nothing was started: no connection reached the server, the scenario was not loaded, nothing was written. */
async function nothingStarted(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 100)); // a request sent at exit would have arrived by now
  expect(server.connections).toBe(0);
  expect(existsSync(marker)).toBe(false);
  expect(existsSync(join(config, 'config.json'))).toBe(false);
  expect(existsSync(join(dir, 'starter.ts'))).toBe(false);
  // A run takes longer: the demo runs 30 s headless, quick mode 10 s (30 s below). Help takes ~0.2 s on a quiet
  // machine, up to 2 s when the suite keeps every core busy.
  expect(ms).toBeLessThan(5000);
}

describe('help and the version start nothing', {timeout: 30_000}, () => {
  const cases: Array<[string, () => string[], CommandName | undefined]> = [
    ['brink --help', () => ['--help'], undefined],
    ['brink -h', () => ['-h'], undefined],
    ['brink demo --help', () => ['demo', '--help'], 'demo'],
    ['brink <url> --help', () => [`${server.url}/`, '--help'], 'quick'],
    ['brink <url> -h, with load flags', () => [`${server.url}/`, '-c', '5', '-d', '30s', '-h'], 'quick'],
    ['brink run <scenario> --help', () => ['run', scenario, '--host', server.url, '--help'], 'run'],
    ['brink run --help, no scenario', () => ['run', '--help'], 'run'],
    ['brink find-limit <url> --help', () => ['find-limit', `${server.url}/`, '--help'], 'find-limit'],
    ['brink compare --help', () => ['compare', '--help'], 'compare'],
    ['brink init --help', () => ['init', join(dir, 'starter.ts'), '--help'], 'init'],
    ['brink profile --help', () => ['profile', '--help'], 'profile'],
    ['brink profile save -h', () => ['profile', 'save', 'p', '-u', '5', '-h'], 'profile'],
    ['brink run --treshold x --help: help wins over a mistake', () => ['run', scenario, '--treshold', 'x', '--help'], 'run'],
  ];
  for (const [name, args, topic] of cases) {
    it(name, async () => {
      const r = await brink(args());
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const usage = topic === undefined ? 'Usage\n    $ brink demo' : `Usage\n    $ ${COMMANDS[topic].usage[0]}\n`;
      expect(r.stdout).toContain(usage);
      await nothingStarted(r.ms);
    });
  }

  for (const args of [['--version'], ['-V'], ['run', 'marks.ts', '-V'], [`http://127.0.0.1:1/`, '--version']]) {
    it(`brink ${args.join(' ')}`, async () => {
      const r = await brink(args.map((a) => (a === 'marks.ts' ? scenario : a)));
      expect(r).toMatchObject({code: 0, stdout: `${version}\n`, stderr: ''});
      await nothingStarted(r.ms);
    });
  }
});

describe("each command's help lists the flags it takes, and no other", () => {
  const shown = (name: FlagName) => FLAGS[name].shown ?? `--${kebab(name)}`;
  /** A flag's own line in the help (`    -u, --users <n>   …`), not a mention in another's description. */
  const line = (name: FlagName, flags = 'm') => new RegExp(`^\\s+(-\\w, )?${shown(name)}(?![\\w-])`, flags);
  /** The help up to its keys and examples (an example's continued line may start with a flag). */
  const flagsPart = (text: string) => text.split(/\n {2}(?:Keys in the live view|Examples)\n/)[0];
  for (const command of Object.keys(COMMANDS) as CommandName[]) {
    it(command, async () => {
      const r = await brink(command === 'quick' ? ['http://127.0.0.1:1/', '-h'] : [command, '-h']);
      expect(r.code).toBe(0);
      const help = flagsPart(r.stdout);
      const own = flagsOf(command);
      for (const name of own) expect(help, shown(name)).toMatch(line(name));
      for (const name of Object.keys(FLAGS) as FlagName[]) if (!own.includes(name)) expect(help, shown(name)).not.toMatch(line(name));
    });
  }

  it('brink --help lists every flag, once', async () => {
    const r = await brink(['--help']);
    for (const name of Object.keys(FLAGS) as FlagName[]) {
      expect(flagsPart(r.stdout).match(line(name, 'gm')), shown(name)).toHaveLength(1);
    }
  });
});
