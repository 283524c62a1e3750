// The live view's one way to read the run: useSyncExternalStore over a throttled view of the store.
import {useEffect, useMemo, useSyncExternalStore} from 'react';
import type {LiveState} from '../control/types.js';
import {throttledView, type LiveStore} from './store.js';

/**
 * Re-renders at most once every `intervalMs` (default 250 ms, i.e. 4 frames a second), and not at all while
 * `frozen`: React and Ink then draw nothing, so a frozen screen costs the run nothing.
 */
export default function useLiveState(store: LiveStore, intervalMs = 250, frozen = false): LiveState {
  const view = useMemo(() => throttledView(store, intervalMs), [store, intervalMs]);
  useEffect(() => view.freeze(frozen), [view, frozen]);
  return useSyncExternalStore(view.subscribe, view.get, view.get);
}
