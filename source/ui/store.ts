// A tiny external store between the steering controller and the live view. The controller calls
// `set()` about once a second; the view reads it through a throttled view (see use-live-state.ts),
// so a burst of updates never costs more than a few frames a second.
import type {LiveState} from '../control/types.js';

export interface LiveStore {
  get(): LiveState;
  set(state: LiveState): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

export function createLiveStore(initial: LiveState): LiveStore {
  let current = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    set(state) {
      if (state === current) return;
      current = state;
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

export interface ThrottledView {
  /** The last state published to subscribers: stable between notifications, as useSyncExternalStore needs. */
  get(): LiveState;
  subscribe(listener: () => void): () => void;
  /** While frozen nothing is published; unfrozen, the latest state goes out at once. */
  freeze(frozen: boolean): void;
}

/**
 * Publishes the store's state at most once every `intervalMs`: the first change after a quiet
 * spell goes out at once, later ones are folded into one trailing update. Throttling here, not with
 * Ink's maxFps, means React does not even re-render for the updates that are skipped.
 */
export function throttledView(store: LiveStore, intervalMs: number): ThrottledView {
  let shown = store.get();
  let lastAt = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let frozen = false;
  const listeners = new Set<() => void>();
  let unsubscribeStore: (() => void) | undefined;

  const publish = () => {
    timer = undefined;
    lastAt = Date.now();
    if (shown === store.get()) return;
    shown = store.get();
    for (const listener of [...listeners]) listener();
  };
  const onChange = () => {
    if (frozen || timer !== undefined) return;
    const wait = lastAt + intervalMs - Date.now();
    if (wait <= 0) publish();
    else timer = setTimeout(publish, wait);
  };

  return {
    get: () => shown,
    freeze(on) {
      if (on === frozen) return;
      frozen = on;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (!on) {
        lastAt = -Infinity;
        onChange();
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!unsubscribeStore) {
        unsubscribeStore = store.subscribe(onChange);
        // A change may have landed between the first get() and this subscription.
        if (shown !== store.get()) onChange();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && unsubscribeStore) {
          unsubscribeStore();
          unsubscribeStore = undefined;
          if (timer !== undefined) clearTimeout(timer);
          timer = undefined;
        }
      };
    },
  };
}
