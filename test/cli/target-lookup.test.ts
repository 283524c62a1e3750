import {beforeEach, describe, expect, it, vi} from 'vitest';

// The real resolver, counted: the guard and the default worker count ask for the same name before a run.
const lookup = vi.hoisted(() => ({calls: [] as string[]}));
vi.mock('node:dns/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:dns/promises')>();
  return {
    ...real,
    lookup: (name: string, options: object) => {
      lookup.calls.push(name);
      return real.lookup(name, options as never);
    },
  };
});

const {guardTarget} = await import('../../source/cli/target-guard.js');
const {defaultWorkers} = await import('../../source/cli/default-workers.js');

describe('the target name is looked up once a run', () => {
  beforeEach(() => {
    lookup.calls.length = 0;
  });

  it('the guard and the worker count share one lookup of a name', async () => {
    // A name that resolves everywhere without a network: this machine's own.
    await guardTarget('http://localhost.localdomain:8000/', false, false);
    await defaultWorkers('http://localhost.localdomain:8000/', 4);
    expect(lookup.calls).toEqual(['localhost.localdomain']);
  });

  it('a name that does not resolve is asked once too, and reads as no address', async () => {
    const choice = await defaultWorkers('http://no-such-host.invalid/', 4);
    await guardTarget('http://no-such-host.invalid/', false, false);
    expect(choice).toEqual({workers: 4});
    expect(lookup.calls).toEqual(['no-such-host.invalid']);
  });

  it('addresses and localhost need no lookup', async () => {
    await defaultWorkers('http://127.0.0.1:8000/', 2);
    await defaultWorkers('http://[::1]:8000/', 2);
    await guardTarget('http://localhost:8000/', false, false);
    expect(lookup.calls).toEqual([]);
  });
});
