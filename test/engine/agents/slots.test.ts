import {describe, expect, it} from 'vitest';
import {dealSlots, rebalancedTotal, shareOf} from '../../../source/engine/agents/slots.js';

describe('splitting a run over agents', () => {
  it('deals slots in turn, weighted by workers: the first users spread over the machines', () => {
    expect(dealSlots([1, 1])).toEqual([[0], [1]]);
    expect(dealSlots([2, 2])).toEqual([
      [0, 2],
      [1, 3],
    ]);
    const uneven = dealSlots([4, 2]);
    expect(uneven.map((s) => s.length)).toEqual([4, 2]);
    expect(uneven.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(uneven[1]).not.toContain(0); // the bigger box starts first
  });

  it("each agent's share of users is its share of the slots (its capacity), and every user runs once", () => {
    const dealt = dealSlots([3, 1]);
    const slots = 4;
    for (const total of [0, 1, 3, 7, 100, 1001]) {
      const shares = dealt.map((own) => own.reduce((n, slot) => n + shareOf(total, slot, slots), 0));
      expect(shares[0] + shares[1]).toBe(total);
      if (total >= 100) expect(Math.abs(shares[0] / total - 0.75)).toBeLessThan(0.01);
    }
  });

  it('--rebalance: the total that makes the live slots alone run the users asked for', () => {
    expect(rebalancedTotal(10, [0, 1], 2)).toBe(10);
    for (const [users, live, slots] of [
      [4, [0], 2],
      [4, [1], 2],
      [10, [0, 2], 3],
      [1, [3], 4],
      [999, [1, 2, 5], 6],
    ] as const) {
      const total = rebalancedTotal(users, live, slots);
      const running = (t: number) => live.reduce((n: number, slot) => n + shareOf(t, slot, slots), 0);
      expect(running(total)).toBeGreaterThanOrEqual(users);
      expect(running(total - 1)).toBeLessThan(users);
    }
  });
});
