// Time as the controllers see it, injected: the system's in a run, a fake one in unit tests, so that what a
// controller decides at a given time can be checked without threads and without waiting.

export interface Clock {
  /** Epoch ms. */
  now(): number;
  /** Calls `fn` every `ms` until the returned function is called. */
  every(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    return () => clearInterval(timer);
  },
};
