// A stress tester must not become a hazard: before driving load at a host that is neither loopback nor a
// private address, brink says so and asks (or, without a terminal, refuses unless --yes).
import {lookup} from 'node:dns/promises';
import {isIP} from 'node:net';
import {createInterface} from 'node:readline/promises';
import {UsageError} from '../kernel/errors.js';
import {isPrivateAddress} from '../kernel/private-address.js';

/** Names looked up in this process: the guard and the worker count (default-workers.ts) ask for the same one. */
const looked = new Map<string, Promise<string[]>>();

/** The addresses a target URL's host stands for; empty when the name does not resolve. */
export function addresses(host: string): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return Promise.resolve([bare]);
  if (bare === 'localhost') return Promise.resolve(['127.0.0.1']);
  let found = looked.get(bare);
  if (!found) {
    found = lookup(bare, {all: true}).then(
      (all) => all.map((a) => a.address),
      () => [],
    );
    looked.set(bare, found);
  }
  return found;
}

/**
 * Resolves when load may go to `target`, with whether it may go to hosts that are neither loopback nor private
 * (--yes, or a yes at the question: the workers then hold no request back, see worker/http/host-guard.ts);
 * throws a UsageError when it may not go at all.
 */
export async function guardTarget(target: string, yes: boolean, interactive: boolean): Promise<boolean> {
  if (yes) return true;
  const {hostname} = new URL(target);
  const found = await addresses(hostname);
  // A name that does not resolve gets no traffic anyway: the run will show `dns` failures.
  if (found.length === 0 || found.every(isPrivateAddress)) return false;
  const where = `${hostname}${found[0] !== hostname ? ` (${found.join(', ')})` : ''}`;
  if (!interactive) {
    throw new UsageError(
      `${where} is not a loopback or private address: make sure you may load-test it, then pass --yes`,
      'BRINK_E_NOT_LOCAL',
    );
  }
  const rl = createInterface({input: process.stdin, output: process.stderr});
  try {
    const answer = await rl.question(
      `brink: ${where} is not a loopback or private address. Only stress systems you are allowed to. Go on? [y/N] `,
    );
    if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError('not confirmed: no load was sent', 'BRINK_E_NOT_LOCAL');
    return true;
  } finally {
    rl.close();
  }
}
