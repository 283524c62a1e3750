import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {createLiveStore, throttledView} from '../../source/ui/store.js';
import {makeLive} from './fixtures.js';

describe('live store', () => {
  test('get, set, subscribe, unsubscribe', () => {
    const store = createLiveStore(makeLive());
    const seen: number[] = [];
    const off = store.subscribe(() => seen.push(store.get().step));
    store.set(makeLive({step: 25}));
    off();
    store.set(makeLive({step: 50}));
    expect(seen).toEqual([25]);
    expect(store.get().step).toBe(50);
  });

  describe('throttled view', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    test('publishes the first change at once, then at most once per interval with the latest state', () => {
      const store = createLiveStore(makeLive());
      const view = throttledView(store, 250);
      const published: number[] = [];
      view.subscribe(() => published.push(view.get().step));
      for (let step = 1; step <= 10; step++) store.set(makeLive({step}));
      expect(published).toEqual([1]);
      vi.advanceTimersByTime(249);
      expect(published).toEqual([1]);
      vi.advanceTimersByTime(1);
      expect(published).toEqual([1, 10]);
      // 40 updates over one second (every 25 ms) → about 4 frames, ending on the last state.
      for (let i = 0; i < 40; i++) {
        store.set(makeLive({step: 100 + i}));
        vi.advanceTimersByTime(25);
      }
      vi.advanceTimersByTime(250);
      expect(published.length - 2).toBeLessThanOrEqual(5);
      expect(view.get().step).toBe(139);
    });

    test('frozen, nothing is published; unfrozen, the latest state goes out at once', () => {
      const store = createLiveStore(makeLive());
      const view = throttledView(store, 250);
      const published: number[] = [];
      view.subscribe(() => published.push(view.get().step));
      store.set(makeLive({step: 1}));
      view.freeze(true);
      for (let step = 2; step <= 5; step++) {
        store.set(makeLive({step}));
        vi.advanceTimersByTime(300);
      }
      expect(published).toEqual([1]);
      expect(view.get().step).toBe(1);
      view.freeze(false);
      expect(published).toEqual([1, 5]);
      // A trailing update pending when frozen is dropped, not published late.
      store.set(makeLive({step: 6}));
      store.set(makeLive({step: 7}));
      view.freeze(true);
      vi.advanceTimersByTime(1000);
      expect(published).toEqual([1, 5]);
    });

    test('the snapshot is stable between notifications', () => {
      const store = createLiveStore(makeLive());
      const view = throttledView(store, 250);
      view.subscribe(() => {});
      store.set(makeLive({step: 1}));
      const a = view.get();
      store.set(makeLive({step: 2}));
      expect(view.get()).toBe(a);
    });
  });
});
