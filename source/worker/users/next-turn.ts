// Work deferred to the check phase of the event loop, batched: one setImmediate for everything due this
// turn. Users send their next request from here rather than from the callback of the response that
// ended their last one, so a turn's responses are all read before its requests are all written: the
// target then finds several requests ready at once, and brink several responses per poll (bench/: about
// 1.3× the requests per CPU-second of writing each request at once, for the pair of them on 2 cores).
let due: Array<(turnStartedAt: number) => void> = [];
let scheduled = false;

function run(): void {
  const batch = due;
  due = [];
  scheduled = false;
  const at = performance.now();
  for (const fn of batch) fn(at);
}

/**
 * Calls `fn` in the next check phase, with everything else deferred this turn. It is given the time that
 * phase began (performance.now() ms), read once for the batch: a clock for what tolerates being a few
 * hundred µs early (a task's start, for its timeout and pacing), not for a request's latency.
 */
export function onNextTurn(fn: (turnStartedAt: number) => void): void {
  due.push(fn);
  if (!scheduled) {
    scheduled = true;
    setImmediate(run);
  }
}
