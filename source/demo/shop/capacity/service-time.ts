// How long a request holds its handler: the route's cost, spread by jitter, with a rare slow one, then scaled.
import {setTimeout as sleep} from 'node:timers/promises';

/** A route's service time in ms before scaling and jitter: fixed, or uniform between min and max. */
export type Cost = number | readonly [number, number];

export interface ServiceTiming {
  readonly serviceScale: number;
  readonly jitter: number;
}

/** Waits out one service time; `signal` cuts it when the shop is disposed. */
export function work(cost: Cost, {serviceScale, jitter}: ServiceTiming, signal: AbortSignal): Promise<void> {
  let ms = typeof cost === 'number' ? cost : cost[0] + Math.random() * (cost[1] - cost[0]);
  if (jitter > 0) {
    ms *= 1 + jitter * (2 * Math.random() - 1);
    if (Math.random() < 0.01) ms *= 3; // a cache miss, a GC pause: the tail every real app has
  }
  ms *= serviceScale;
  return ms >= 0.5 ? sleep(ms, undefined, {signal}) : Promise.resolve();
}
