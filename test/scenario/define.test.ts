import {describe, expect, it} from 'vitest';
import {between, constant, pacing, scenario, ScenarioError, task, thinkSeconds, user, weightedIndex} from '../../source/scenario/define.js';
import {UserMix} from '../../source/scenario/mix.js';

const noop = async () => {};

/** A small deterministic PRNG (mulberry32), so distribution tests cannot flake. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('task()', () => {
  it('takes a function, a weight and a name in the documented forms', () => {
    async function browse() {}
    expect(task(browse)).toMatchObject({kind: 'task', weight: 1, name: 'browse', fn: browse});
    expect(task(3, browse)).toMatchObject({weight: 3, name: 'browse'});
    expect(task(2, 'view item', browse)).toMatchObject({weight: 2, name: 'view item', fn: browse});
    expect(task('checkout', browse)).toMatchObject({weight: 1, name: 'checkout', fn: browse});
    expect(task(0.5, noop).weight).toBe(0.5);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects the weight %s', (weight) => {
    expect(() => task(weight, noop)).toThrow(ScenarioError);
    expect(() => task(weight, noop)).toThrow(/task weight must be a positive number/);
  });

  it('rejects a missing function', () => {
    expect(() => (task as unknown as (w: number) => unknown)(2)).toThrow(/task\(\.\.\.\) needs a function/);
    expect(() => (task as unknown as (w: number, n: string) => unknown)(2, 'named')).toThrow(ScenarioError);
  });
});

describe('user()', () => {
  it('names unnamed tasks after the user and its position, and wraps plain functions', () => {
    const u = user('shopper', {weight: 3}, [task(() => {}), () => {}, task(1, 'checkout', noop)]);
    expect(u).toMatchObject({kind: 'user', name: 'shopper', weight: 3});
    expect(u.tasks.map((t) => t.name)).toEqual(['shopper task 1', 'shopper task 2', 'checkout']);
    expect(u.tasks.every((t) => (t.kind === 'task' && t.weight === 1) || t.name === 'checkout')).toBe(true);
  });

  it('defaults the weight to 1 and keeps the options', () => {
    const wait = constant(1);
    const onStart = async () => {};
    const u = user('a', {wait, onStart, headers: {'x-a': '1'}}, [noop]);
    expect(u.weight).toBe(1);
    expect(u.wait).toBe(wait);
    expect(u.onStart).toBe(onStart);
    expect(u.headers).toEqual({'x-a': '1'});
  });

  it('takes its tasks without options: weight 1, no think time', () => {
    const u = user('plain', [noop, task(2, 'two', noop)]);
    expect(u.weight).toBe(1);
    expect(u.wait).toBeUndefined();
    expect(u.tasks.map((t) => [t.name, t.weight])).toEqual([
      ['noop', 1],
      ['two', 2],
    ]);
    expect(() => user('b', [])).toThrow(/user 'b' needs at least one task/);
  });

  it('rejects a missing name, no tasks, a non-task item and a bad weight', () => {
    expect(() => user('', {}, [noop])).toThrow(/user\(\.\.\.\) needs a name/);
    expect(() => user('a', {}, [])).toThrow(/user 'a' needs at least one task/);
    expect(() => user('a', {}, undefined as never)).toThrow(/needs at least one task/);
    expect(() => user('a', {}, [task(noop), {kind: 'nope'} as never])).toThrow(/user 'a': item 2 is not a task/);
    expect(() => user('a', {}, [null as never])).toThrow(/item 1 is not a task/);
    expect(() => user('a', {weight: 0}, [noop])).toThrow(/user 'a' weight must be a positive number, got 0/);
    expect(() => user('a', {weight: -2}, [noop])).toThrow(ScenarioError);
  });
});

describe('scenario()', () => {
  it('defaults the name and keeps the host', () => {
    const s = scenario({host: 'http://x', users: [user('a', {}, [noop])]});
    expect(s).toMatchObject({kind: 'scenario', name: 'scenario', host: 'http://x'});
    expect(scenario({name: 'shop', users: [user('a', {}, [noop])]}).name).toBe('shop');
  });

  it('rejects no users, objects not made with user() and duplicate names', () => {
    expect(() => scenario({users: []})).toThrow(/needs at least one user type/);
    expect(() => scenario(undefined as never)).toThrow(ScenarioError);
    expect(() => scenario({users: [{name: 'a', tasks: []} as never]})).toThrow(/must be made with user/);
    expect(() => scenario({users: [user('a', {}, [noop]), user('a', {}, [noop])]})).toThrow(/two user types are named 'a'/);
  });
});

describe('think time', () => {
  it('validates between/constant/pacing', () => {
    expect(between(0, 0)).toEqual({kind: 'between', min: 0, max: 0});
    expect(() => between(2, 1)).toThrow(/between\(2, 1\) needs 0 <= min <= max/);
    expect(() => between(-1, 1)).toThrow(ScenarioError);
    expect(() => between(Number.NaN, 1)).toThrow(ScenarioError);
    expect(constant(0)).toEqual({kind: 'constant', seconds: 0});
    expect(() => constant(-0.1)).toThrow(/constant\(-0.1\) needs seconds >= 0/);
    expect(pacing(2)).toEqual({kind: 'pacing', seconds: 2});
    expect(() => pacing(0)).toThrow(/pacing must be a positive number/);
  });

  it('is zero without a wait', () => {
    expect(thinkSeconds(undefined, 123)).toBe(0);
  });

  it('between draws uniformly in [min, max]', () => {
    const w = between(1, 3);
    expect(thinkSeconds(w, 0, () => 0)).toBe(1);
    expect(thinkSeconds(w, 0, () => 0.5)).toBe(2);
    expect(thinkSeconds(w, 0, () => 0.999999)).toBeCloseTo(3, 4);
    const random = seeded(7);
    const draws = Array.from({length: 20_000}, () => thinkSeconds(w, 500, random));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...draws)).toBeLessThanOrEqual(3);
    expect(draws.reduce((a, b) => a + b, 0) / draws.length).toBeCloseTo(2, 1);
  });

  it('constant ignores the task time', () => {
    expect(thinkSeconds(constant(2), 0)).toBe(2);
    expect(thinkSeconds(constant(2), 5000)).toBe(2);
  });

  it('pacing subtracts the task time and never goes negative', () => {
    expect(thinkSeconds(pacing(5), 1200)).toBeCloseTo(3.8, 10);
    expect(thinkSeconds(pacing(5), 0)).toBe(5);
    expect(thinkSeconds(pacing(5), 5000)).toBe(0);
    expect(thinkSeconds(pacing(5), 7000)).toBe(0);
  });
});

describe('weightedIndex()', () => {
  it('maps the random number onto cumulative weights', () => {
    const w = [1, 2, 7];
    expect(weightedIndex(w, 10, () => 0)).toBe(0);
    expect(weightedIndex(w, 10, () => 0.099)).toBe(0);
    expect(weightedIndex(w, 10, () => 0.1)).toBe(1);
    expect(weightedIndex(w, 10, () => 0.299)).toBe(1);
    expect(weightedIndex(w, 10, () => 0.3)).toBe(2);
    expect(weightedIndex(w, 10, () => 0.9999999)).toBe(2);
  });

  it('follows the weights over many draws', () => {
    const weights = [1, 2, 7];
    const counts = [0, 0, 0];
    const random = seeded(42);
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[weightedIndex(weights, 10, random)]++;
    expect(counts[0] / n).toBeCloseTo(0.1, 2);
    expect(counts[1] / n).toBeCloseTo(0.2, 2);
    expect(counts[2] / n).toBeCloseTo(0.7, 2);
  });

  it('never returns an index past the end, even if random() returned 1', () => {
    expect(weightedIndex([1, 1], 2, () => 1)).toBe(1);
    expect(weightedIndex([5], 5, () => 0.5)).toBe(0);
  });
});

describe('UserMix', () => {
  const countTypes = (mix: UserMix, n: number, types: number) => {
    const c = new Array(types).fill(0);
    for (let id = 0; id < n; id++) c[mix.typeOf(id)]++;
    return c;
  };

  it('weights 3:1 give 75 of 100 users type 0', () => {
    expect(countTypes(new UserMix([3, 1]), 100, 2)).toEqual([75, 25]);
  });

  it('every prefix follows the weights within one user', () => {
    for (const weights of [
      [3, 1],
      [1, 1, 1],
      [5, 3, 2],
      [0.7, 0.3],
      [1, 10],
    ]) {
      const mix = new UserMix(weights);
      const total = weights.reduce((a, b) => a + b, 0);
      const counts = weights.map(() => 0);
      for (let n = 1; n <= 500; n++) {
        counts[mix.typeOf(n - 1)]++;
        for (let i = 0; i < weights.length; i++) {
          expect(Math.abs(counts[i] - (weights[i] * n) / total), `weights ${weights} prefix ${n} type ${i}`).toBeLessThan(1 + 1e-9);
        }
      }
    }
  });

  it('is deterministic and answers out of order', () => {
    const a = new UserMix([2, 1, 1]);
    const b = new UserMix([2, 1, 1]);
    const late = b.typeOf(99); // ask for a high id first
    const seqA = Array.from({length: 100}, (_, i) => a.typeOf(i));
    const seqB = Array.from({length: 100}, (_, i) => b.typeOf(i));
    expect(seqB).toEqual(seqA);
    expect(late).toBe(seqA[99]);
  });

  it('a single type gets every user', () => {
    expect(countTypes(new UserMix([4]), 20, 1)).toEqual([20]);
  });
});
