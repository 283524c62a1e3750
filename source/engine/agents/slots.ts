// How a run's load is split over agents. Each agent's worker is a slot of the run, and users are numbered
// across the slots as across one machine's workers: user n runs on slot n % slots (a CSV feeder's row n goes
// to user n wherever it runs). Slots are dealt to agents in turn, weighted by their workers, so that the
// first users spread over the machines and each agent's share of users and of the arrival rate is its share
// of the slots: its capacity.

/** The slots of each agent, for agents with these worker counts (smooth weighted round robin). */
export function dealSlots(workers: ReadonlyArray<number>): number[][] {
  const total = workers.reduce((a, b) => a + b, 0);
  const out = workers.map(() => [] as number[]);
  const credit = workers.map(() => 0);
  const left = [...workers];
  for (let slot = 0; slot < total; slot++) {
    let best = -1;
    for (let i = 0; i < workers.length; i++) {
      if (left[i] === 0) continue;
      credit[i] += workers[i];
      if (best < 0 || credit[i] > credit[best]) best = i;
    }
    credit[best] -= total;
    left[best]--;
    out[best].push(slot);
  }
  return out;
}

/** Users slot `slot` runs when `total` are asked of `slots` slots (what worker/main.ts computes). */
export const shareOf = (total: number, slot: number, slots: number): number => (total <= slot ? 0 : Math.ceil((total - slot) / slots));

/**
 * The total to ask every agent for so that the live slots alone run `users` (--rebalance, after an agent was
 * lost): the smallest total whose shares over `live` add up to at least `users`.
 */
export function rebalancedTotal(users: number, live: ReadonlyArray<number>, slots: number): number {
  if (users <= 0 || live.length === 0) return users;
  const running = (total: number) => live.reduce((n, slot) => n + shareOf(total, slot, slots), 0);
  let lo = users;
  let hi = Math.ceil((users * slots) / live.length) + slots;
  while (running(hi) < users) hi *= 2;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (running(mid) >= users) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
