// A scenario's own faults, through the built CLI: each is said, with its file:line where there is one, and
// none ends a run in silence with exit 0. One entry in the table a fault.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {printedError, runCli, type CliResult} from '../cli/run-cli.js';
import type {Summary} from '../../source/report/summary.js';

let server: http.Server;
let url: string;
let served = 0;
const dir = mkdtempSync(join(tmpdir(), 'brink-scenario-faults-'));
beforeAll(async () => {
  server = http.createServer((_req, res) => {
    served++;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, {recursive: true, force: true});
});

const HEAD = `import {scenario, user, task} from 'brink';\n`;

interface Fault {
  readonly name: string;
  /** The scenario's source; `MARK` ends the line the report must point at. */
  readonly source: string;
  readonly args?: string[];
  readonly check: (r: CliResult, line: number, file: string, sent: number) => void;
}

const FAULTS: Fault[] = [
  {
    name: 'a task that loops without end is a script error at its line; the worker is replaced; no request succeeded → exit 99',
    source: `${HEAD}export default scenario({users: [user('u', [task('spin', () => { for (;;) {} })]) /* MARK */]});\n`,
    args: ['-u', '1', '-t', '9s', '--task-timeout', '2s', '--json', join(dir, 'fault-0.json')],
    check: (r, line, file) => {
      expect(r.code).toBe(99);
      expect(r.stderr).toMatch(
        new RegExp(
          `^brink: no request was sent: \\d+ script error\\(s\\), first \\(event loop blocked\\) \\(${file}:${line}\\): a task kept worker 0's event loop busy`,
          'm',
        ),
      );
      const events = (JSON.parse(readFileSync(join(dir, 'fault-0.json'), 'utf8')) as Summary).events.map((e) => e.text);
      expect(events).toContainEqual(
        expect.stringMatching(new RegExp(`^worker 0 died \\(its event loop was blocked for \\d+ s at ${file}:${line}\\); a new worker`)),
      );
      expect(events).toContain('worker 0 replaced; its users restarted');
    },
  },
  {
    name: 'process.exit() at the top level is a load error naming its line, and brink goes on to say so (exit 2)',
    source: `${HEAD}process.exit(3); // MARK\nexport default scenario({users: [user('u', [task(({http}) => http.get('/'))])]});\n`,
    check: (r, line, file, sent) => {
      expect(r.code).toBe(2);
      expect(printedError(r.stderr)).toMatchObject({
        code: 'BRINK_E_SCENARIO',
        message: expect.stringMatching(new RegExp(`${file}:${line}: process\\.exit\\(3\\) called at the scenario's top level`)),
      });
      expect(sent).toBe(0);
    },
  },
  {
    name: 'a top-level await that never settles is a load error after the load timeout, not a silent exit 0',
    source: `${HEAD}await new Promise(() => {}); // MARK\nexport default scenario({users: [user('u', [task(({http}) => http.get('/'))])]});\n`,
    check: (r, _line, file, sent) => {
      expect(r.code).toBe(2);
      expect(printedError(r.stderr).message).toMatch(
        new RegExp(`${file}: its top level did not finish within 10 s \\(a top-level await that never settles\\?\\)`),
      );
      expect(sent).toBe(0);
    },
  },
  {
    name: 'a named import brink does not have names the file and line of the import',
    source: `import {scenario, user,\n  taks, // MARK\n} from 'brink';\nexport default scenario({users: [user('u', [taks(() => {})])]});\n`,
    check: (r, line, file, sent) => {
      expect(r.code).toBe(2);
      expect(printedError(r.stderr)).toMatchObject({
        code: 'BRINK_E_SCENARIO',
        message: expect.stringMatching(new RegExp(`${file}:${line}: .*does not provide an export named 'taks'`)),
      });
      expect(sent).toBe(0);
    },
  },
];

describe('scenario faults', () => {
  for (const [i, fault] of FAULTS.entries()) {
    it(
      fault.name,
      async () => {
        const name = `fault-${i}.ts`;
        const file = join(dir, name);
        writeFileSync(file, fault.source);
        const line = fault.source.split('\n').findIndex((l) => l.includes('MARK')) + 1;
        const before = served;
        const r = await runCli(['run', file, '--host', url, '--headless', '--workers', '1', ...(fault.args ?? ['-u', '1', '-t', '2s'])]);
        fault.check(r, line, name, served - before);
      },
      40_000,
    );
  }
});
