// An agent's workers' snapshots merged into one: counts add and the histograms add exactly, so the controller's
// percentiles are those of one histogram of every sample (error 0), whatever the split.
import {describe, expect, it} from 'vitest';
import {createHistogram, encode, latencyMs, recordUs, addEncoded} from '../../../source/kernel/histogram.js';
import {mergeHealth, mergeSnapshots} from '../../../source/engine/agents/merge.js';
import type {IntervalSnapshot, WorkerHealth} from '../../../source/protocol/snapshot.js';

const health = (workerId: number, users: number, elu = 0.1): WorkerHealth => ({
  workerId,
  elu,
  users,
  busyUsers: users,
  stoppingUsers: 0,
  dropped: 0,
  inFlight: 0,
  startFailures: 0,
  endpointOverflow: false,
});

function snapshot(workerId: number, samples: number[], extra: Partial<IntervalSnapshot> = {}): IntervalSnapshot {
  const h = createHistogram();
  for (const us of samples) recordUs(h, us);
  return {
    seq: 1,
    from: 1000 + workerId,
    at: 2000 + workerId,
    health: health(workerId, 3),
    endpoints: [
      {
        key: 'GET /a',
        method: 'GET',
        name: '/a',
        requests: samples.length,
        failures: 1,
        histogram: encode(h),
        statusCodes: {'200': samples.length - 1, '500': 1},
        failuresByKind: {http_500: 1},
        firstFailureAt: {http_500: 1500 + workerId},
        errors: [{kind: 'http_500', message: 'boom', count: 1}],
      },
    ],
    ...extra,
  };
}

describe('merging an agent’s snapshots', () => {
  it('adds counts and histograms exactly: the merged percentiles are those of all the samples', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647) * 200_000;
    const parts = [0, 1, 2].map(() => Array.from({length: 5000}, random));
    const merged = mergeSnapshots(
      parts.map((samples, i) => snapshot(i, samples)),
      {seq: 4, health: mergeHealth(9, [health(0, 3), health(1, 3, 0.7), health(2, 3)], []), shift: 0},
    );
    const all = createHistogram();
    for (const us of parts.flat()) recordUs(all, us);
    // Histograms travel encoded (a max is kept to its bucket): the truth is all the samples' one histogram, sent as one.
    const truth = createHistogram();
    addEncoded(truth, encode(all));
    const fromMerged = createHistogram();
    addEncoded(fromMerged, merged.endpoints[0].histogram);
    expect(latencyMs(fromMerged)).toEqual(latencyMs(truth));
    expect(fromMerged.totalCount).toBe(15_000);
    expect(merged.endpoints[0]).toMatchObject({requests: 15_000, failures: 3, statusCodes: {'200': 14_997, '500': 3}});
    expect(merged.endpoints[0].firstFailureAt).toEqual({http_500: 1500});
    expect(merged.endpoints[0].errors).toEqual([{kind: 'http_500', message: 'boom', count: 3}]);
    expect(merged).toMatchObject({seq: 4, from: 1000, at: 2002});
    expect(merged.health).toMatchObject({workerId: 9, users: 9, elu: 0.7});
  });

  it("shifts times to the controller's clock and starts no interval before the common start", () => {
    const merged = mergeSnapshots([snapshot(0, [100])], {seq: 1, health: health(0, 1), shift: 250, notBefore: 1400});
    expect(merged.from).toBe(1650);
    expect(merged.at).toBe(2250);
    expect(merged.endpoints[0].firstFailureAt.http_500).toBe(1750);
  });

  it('an interval with nothing to say is an empty snapshot, not a missing one', () => {
    const merged = mergeSnapshots([], {seq: 3, health: health(1, 0), shift: 0});
    expect(merged.endpoints).toEqual([]);
    expect(merged.seq).toBe(3);
  });

  it("keeps an event stream's gap rows apart, bytes, and open sockets as a gauge: each worker's latest, not a sum over intervals", () => {
    const gapRow = (workerId: number, samples: number[]) => {
      const row = snapshot(workerId, samples).endpoints[0];
      return {...row, key: 'SSE /events (gap)', method: 'SSE', name: '/events (gap)', failures: 0, gaps: true as const, bytes: 100};
    };
    const w0 = (seq: number, at: number, open: number, opened: number): IntervalSnapshot => ({
      ...snapshot(0, [1000]),
      seq,
      at,
      endpoints: [gapRow(0, [250_000])],
      sockets: {open, opened},
    });
    // Worker 0's interval 2 came late and joins interval 3's; worker 1 never opened a socket.
    const merged = mergeSnapshots([w0(2, 2000, 5, 5), w0(3, 3000, 3, 1), snapshot(1, [500])], {seq: 3, health: health(0, 6), shift: 0});
    const gaps = merged.endpoints.find((e) => e.key === 'SSE /events (gap)')!;
    expect(gaps).toMatchObject({gaps: true, requests: 2, bytes: 200});
    expect(merged.endpoints.find((e) => e.key === 'GET /a')!.gaps).toBeUndefined();
    // Its peak is the larger of its two intervals' (5), not their sum.
    expect(merged.sockets).toEqual({open: 3, opened: 6, peak: 5});
    // The agent's own latest counts (a worker that did not answer this interval still holds its sockets) win.
    expect(mergeSnapshots([w0(4, 4000, 3, 0)], {seq: 4, health: health(0, 6), shift: 0, socketsOpen: 7}).sockets).toEqual({
      open: 7,
      opened: 0,
      peak: 7,
    });
    // No socket ever: no gauge at all.
    expect(mergeSnapshots([snapshot(1, [500])], {seq: 4, health: health(1, 3), shift: 0}).sockets).toBeUndefined();
  });
});
