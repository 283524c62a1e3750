// How many worker threads generate load when --workers is not given. A target on this machine (the
// demo, an app on a laptop, a CI job's own server) needs the same cores brink would take: on a 2-core box,
// 1 worker sent 19–48 % more requests a second than 2 to nginx on loopback (3–5 % to node:http), for less
// CPU, because 2 workers and the main thread left the target less than a core. So a local target gets half
// the cores, and a remote one all of them.
import os from 'node:os';
import {isIP} from 'node:net';
import {addresses} from './target-guard.js';

export interface WorkerChoice {
  readonly workers: number;
  /** Why, when not one a core: for the run's event log. */
  readonly why?: string;
}

export async function defaultWorkers(target: string, cores = os.availableParallelism()): Promise<WorkerChoice> {
  const {hostname} = new URL(target);
  const found = await addresses(hostname);
  if (cores < 2 || found.length === 0 || !found.every(isThisMachine)) return {workers: cores};
  const workers = Math.floor(cores / 2);
  return {
    workers,
    why: `${workers} worker${workers === 1 ? '' : 's'}: the target is on this machine, so half of its ${cores} cores are left to it (--workers to change)`,
  };
}

/**
 * A warning for `--workers` above the cores: threads beyond them take turns on the same cores, each with its own
 * event loop, histograms and snapshots to pay for. On the 2-core bench box, 4 workers made 45 % fewer requests
 * per CPU-second than 1 (bench/README.md, "Workers").
 */
export function beyondCores(workers: number, cores = os.availableParallelism()): string | undefined {
  if (workers <= cores) return undefined;
  return `${workers} workers on ${cores} core${cores === 1 ? '' : 's'}: workers beyond the cores take turns on them and cost throughput (at most ${cores} is better)`;
}

/** Loopback, the unspecified address (which connects to this host) or one of this machine's interfaces. */
export function isThisMachine(ip: string): boolean {
  const a = ip.toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');
  if (isIP(a) === 4 && (a.startsWith('127.') || a === '0.0.0.0')) return true;
  if (a === '::1' || a === '::') return true;
  return Object.values(os.networkInterfaces()).some((list) => list?.some((i) => i.address.toLowerCase() === a));
}
