import os from 'node:os';
import {describe, expect, it} from 'vitest';
import {beyondCores, defaultWorkers, isThisMachine} from '../../source/cli/default-workers.js';

/** One of this machine's own non-loopback addresses, when it has one. */
const ownAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && !i.internal)?.address;

describe('how many workers a run gets without --workers', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.0.0.53', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', true],
    ['::', true],
    ['203.0.113.10', false],
    ['2001:db8::1', false],
    ['::ffff:203.0.113.10', false],
  ])('%s is this machine: %s', (ip, expected) => {
    expect(isThisMachine(ip)).toBe(expected);
  });

  it.runIf(ownAddress !== undefined)('an address of one of its own interfaces is this machine', () => {
    expect(isThisMachine(ownAddress!)).toBe(true);
  });

  it('a target on this machine gets half the cores, and the run says why', async () => {
    expect(await defaultWorkers('http://127.0.0.1:8000/', 2)).toEqual({
      workers: 1,
      why: expect.stringMatching(/^1 worker: the target is on this machine, so half of its 2 cores/),
    });
    expect((await defaultWorkers('http://localhost:3000/app', 8)).workers).toBe(4);
    expect((await defaultWorkers('http://[::1]:3000/', 5)).workers).toBe(2);
  });

  it('a remote target, a name that does not resolve, or a single core: one worker a core', async () => {
    expect(await defaultWorkers('http://203.0.113.10/', 8)).toEqual({workers: 8});
    expect(await defaultWorkers('http://no-such-host.invalid/', 4)).toEqual({workers: 4});
    expect(await defaultWorkers('http://127.0.0.1:8000/', 1)).toEqual({workers: 1});
  });

  it('--workers above the cores: a warning for the event log; up to the cores, none', () => {
    expect(beyondCores(4, 2)).toBe(
      '4 workers on 2 cores: workers beyond the cores take turns on them and cost throughput (at most 2 is better)',
    );
    expect(beyondCores(2, 1)).toMatch(/^2 workers on 1 core: /);
    expect(beyondCores(2, 2)).toBeUndefined();
    expect(beyondCores(1, 8)).toBeUndefined();
  });
});
