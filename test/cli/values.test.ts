// Reading flag values (source/cli/values.ts): the limits every duration flag is held to (a timer holds 2^31-1 ms:
// past it Node fires after 1 ms, and --timeout 600h had made every request time out at once).
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {countingServer, type CountingServer} from './counting-server.js';
import {printedError, runCli} from './run-cli.js';
import {FLAG_NAMES, FLAGS, label, type FlagName} from '../../source/cli/flags.js';
import {parseArgs} from '../../source/cli/parse.js';
import {duration, MAX_DURATION_MS} from '../../source/cli/values.js';
import {UsageError} from '../../source/kernel/errors.js';

/** A command line that reads each duration flag, with what it needs beside it. */
const LINES: Partial<Record<FlagName, (d: string) => string[]>> = {
  runTime: (d) => ['run', 'x.ts', '-t', d],
  duration: (d) => ['http://h/', '-d', d],
  stepTime: (d) => ['http://h/', '--step-users', '1', '--step-time', d],
  hold: (d) => ['http://h/', '--step-users', '1', '--step-time', '1s', '--hold', d],
  spikeTime: (d) => ['http://h/', '--spike', '5', '--spike-time', d],
  warmup: (d) => ['http://h/', '--spike', '5', '--warmup', d],
  recovery: (d) => ['http://h/', '--spike', '5', '--recovery', d],
  recoveryTimeout: (d) => ['find-limit', 'http://h/', '--recovery-timeout', d],
  timeout: (d) => ['http://h/', '--timeout', d],
  taskTimeout: (d) => ['http://h/', '--task-timeout', d],
  abortGrace: (d) => ['http://h/', '--abort-on-fail', '--abort-grace', d],
  stages: (d) => ['http://h/', '--stages', `1s:1,${d}:2`],
  rateStages: (d) => ['http://h/', '--rate-stages', `1s:1,${d}:2`],
  agentTimeout: (d) => ['http://h/', '--agents', 'nats://127.0.0.1:4222', '--agent-timeout', d],
};

const refused = (line: string[]) => {
  try {
    parseArgs(line, '0');
  } catch (error) {
    return error as UsageError;
  }
  return undefined;
};

describe('durations', () => {
  it('a timer holds 2^31-1 ms: that is the longest duration any flag takes', () => {
    expect(MAX_DURATION_MS).toBe(2_147_483_647);
    expect(duration('596h', '--timeout')).toBe(596 * 3_600_000);
    expect(duration(`${MAX_DURATION_MS}ms`, '--timeout')).toBe(MAX_DURATION_MS);
    expect(() => duration(`${MAX_DURATION_MS + 1}ms`, '--timeout')).toThrow(
      `--timeout: '${MAX_DURATION_MS + 1}ms' is longer than a timer can wait (at most 596h, 24.8 days)`,
    );
  });

  it('every duration flag in the table is covered here', () => {
    const durationFlags = FLAG_NAMES.filter((name) => FLAGS[name].value === '<dur>');
    expect(durationFlags.length).toBeGreaterThan(8);
    for (const name of durationFlags) expect(LINES[name], name).toBeDefined();
  });

  for (const [name, line] of Object.entries(LINES) as Array<[FlagName, (d: string) => string[]]>) {
    it(`${name}: 597h is a usage error naming the flag; 596h is taken`, () => {
      const error = refused(line('597h'));
      expect(error, name).toBeInstanceOf(UsageError);
      expect(error!.code).toBe('BRINK_E_FLAG_VALUE');
      expect(error!.message).toBe(`${label(name)}: '597h' is longer than a timer can wait (at most 596h, 24.8 days)`);
      expect(refused(line('596h')), name).toBeUndefined();
    });
  }
});

let server: CountingServer;
beforeAll(async () => {
  server = await countingServer();
});
afterAll(async () => {
  await server.close();
});

describe('durations a timer cannot hold, through the CLI: a usage error naming the flag, and no request sent', {timeout: 30_000}, () => {
  const cases: Array<[string[], string]> = [
    [['--timeout', '600h'], "--timeout: '600h' is longer than a timer can wait (at most 596h, 24.8 days)"],
    [['--task-timeout', '2147484s'], "--task-timeout: '2147484s' is longer than a timer can wait (at most 596h, 24.8 days)"],
    [['--stages', '1s:1,700h:2'], "--stages: '700h' is longer than a timer can wait (at most 596h, 24.8 days)"],
    [['--abort-on-fail', '--abort-grace', '1000h'], "--abort-grace: '1000h' is longer than a timer can wait (at most 596h, 24.8 days)"],
  ];
  for (const [args, message] of cases) {
    it(`${args.join(' ')}`, async () => {
      const before = server.total();
      const r = await runCli([`${server.url}/`, ...args]);
      const e = printedError(r.stderr);
      expect(e.message).toBe(message);
      expect(e.code).toBe('BRINK_E_FLAG_VALUE');
      expect(r.code).toBe(2);
      expect(server.total()).toBe(before);
    });
  }
});
