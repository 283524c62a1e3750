// `brink init`: each starter pattern is written by the built CLI, type-checks as a user's project would,
// loads, and runs green against the demo shop.
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runCli, printedError} from '../cli/run-cli.js';
import {run} from '../helpers/run.js';
import {loadScenario} from '../../source/scenario/load.js';
import {startShop, type RunningShop} from '../../source/demo/shop.js';
import {PATTERNS} from '../../source/init/patterns.js';
import {initCommand} from '../../source/cli/init.js';
import {typeErrors} from './typecheck.js';

const dir = mkdtempSync(join(tmpdir(), 'brink-init-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
const brink = (args: string[]) => runCli(args, {BRINK_CONFIG_DIR: join(dir, 'config')});

let shop: RunningShop | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

describe('brink init', {timeout: 30_000}, () => {
  it('writes scenario.ts (pattern browse) by default and says what to run next', () => {
    const cwd = join(dir, 'default');
    let out = '';
    expect(
      initCommand(
        ['init'],
        (text) => {
          out += text;
        },
        cwd,
      ),
    ).toBe(0);
    expect(out).toBe(
      `wrote scenario.ts (pattern browse: ${PATTERNS.find((p) => p.name === 'browse')!.summary})\n` +
        "next: brink run scenario.ts --host <your app's URL>\n" +
        "      (it is written for brink's demo shop: try it as is with `brink demo --serve-only` and --host the URL it prints)\n",
    );
    const text = readFileSync(join(cwd, 'scenario.ts'), 'utf8');
    expect(text).toContain('//   brink run scenario.ts --host http://localhost:8000');
    expect(text).not.toContain('__FILE__');
  });

  it('refuses to overwrite a file, and --force does', async () => {
    const file = join(dir, 'exists', 'scenario.ts');
    const first = await brink(['init', file]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^wrote .*scenario\.ts \(pattern browse: /);

    writeFileSync(file, '// mine\n');
    const again = await brink(['init', file, '--pattern', 'api']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^brink: .*scenario\.ts exists: pass --force to overwrite it/);
    expect(readFileSync(file, 'utf8')).toBe('// mine\n');

    const forced = await brink(['init', file, '--pattern', 'api', '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain("export default scenario({name: 'api'");
  });

  it('names without an extension get .ts; usage errors are one line', async () => {
    const r = await brink(['init', join(dir, 'named'), '--pattern', 'single']);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'named.ts'))).toBe(true);
    const cases: Array<[string[], RegExp]> = [
      [['init', join(dir, 'x.ts'), '--pattern', 'nope'], /--pattern: 'nope' is not one of browse, form-login, api, upload, single/],
      [['init', join(dir, 'x.ts'), '--pattern', 'api', '--from-openapi', 'spec.json'], /choose one/],
      [['init', join(dir, 'x.ts'), '--bogus'], /unknown flag --bogus for brink init/],
      [['init', 'a.ts', 'b.ts'], /unexpected argument 'b.ts'/],
    ];
    for (const [args, message] of cases) {
      const bad = await brink(args);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(printedError(bad.stderr).message).toMatch(message);
    }
    expect(existsSync(join(dir, 'x.ts'))).toBe(false);
  });

  it('every pattern type-checks (strict, no unused locals) as a user project importing brink', async () => {
    const files: string[] = [];
    for (const p of PATTERNS) {
      const file = join(dir, 'typed', `${p.name}.ts`);
      const r = await brink(['init', file, '--pattern', p.name]);
      expect(r.code, r.stderr).toBe(0);
      files.push(file);
    }
    expect(typeErrors(files)).toEqual([]);
  }, 60_000);
});

/** Imports the starter unchanged and divides its think times, so a couple of seconds cover many tasks. */
function faster(file: string, speedup: number): string {
  return `import {scenario} from 'brink';
import base from ${JSON.stringify(file)};
const faster = (w) => !w ? w : w.kind === 'between' ? {...w, min: w.min / ${speedup}, max: w.max / ${speedup}} : {...w, seconds: w.seconds / ${speedup}};
export default scenario({...base, users: base.users.map((u) => ({...u, wait: faster(u.wait)}))});
`;
}

describe('the starters run green against the demo shop', () => {
  for (const pattern of PATTERNS) {
    it(`${pattern.name}: loads, and ~2 s of load has requests and no failures`, async () => {
      const file = join(dir, 'run', `${pattern.name}.ts`);
      const r = await brink(['init', file, '--pattern', pattern.name]);
      expect(r.code, r.stderr).toBe(0);

      // As written: loadScenario accepts it.
      const plain = await loadScenario(file);
      expect(plain.scenario.kind).toBe('scenario');
      expect(plain.scenario.users.length).toBeGreaterThan(0);
      plain.dispose();

      const wrapper = join(dir, 'run', `${pattern.name}.fast.ts`);
      writeFileSync(wrapper, faster(file, 10));
      const loaded = await loadScenario(wrapper);
      shop = await startShop({serviceScale: 0.2});
      try {
        const {final} = await run({
          workload: {kind: 'scenario', bundleUrl: loaded.bundleUrl, scenarioFile: loaded.file},
          host: shop.url,
          users: 6,
          durationMs: 2000,
        });
        const failures = final.endpoints
          .filter((e) => e.failures > 0)
          .map((e) => `${e.key}: ${JSON.stringify(e.failuresByKind)} ${e.errors.map((x) => x.message).join('; ')}`);
        expect(failures).toEqual([]);
        const requests = final.endpoints.reduce((n, e) => n + e.requests, 0);
        expect(requests).toBeGreaterThan(5);
        expect(shop.stats().total).toBeGreaterThanOrEqual(requests);
      } finally {
        loaded.dispose();
      }
    }, 30_000);
  }
});
