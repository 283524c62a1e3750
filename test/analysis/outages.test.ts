// Outages read off the per-interval series, at any load: the rules, on series whose truth we wrote.
import {describe, expect, it} from 'vitest';
import {describeKind, findOutages} from '../../source/analysis/outages.js';
import type {SeriesPoint} from '../../source/engine/run-state.js';

/** One 1 s interval ending at `t` s: `ok` successes and `failed` failures of `kind`. */
function point(t: number, ok: number, failed = 0, kind = 'http_502', inFlight = 0): SeriesPoint {
  const requests = ok + failed;
  return {
    t,
    users: 10,
    targetUsers: 10,
    requests,
    failures: failed,
    rps: requests,
    failRate: requests ? failed / requests : 0,
    p50: 5,
    p95: 9,
    p99: 12,
    failuresByKind: failed ? {[kind]: failed} : {},
    dropped: 0,
    inFlight,
  };
}

const series = (spec: Array<[number, number] | [number, number, string] | 'stall'>): SeriesPoint[] =>
  spec.map((s, i) => (s === 'stall' ? point(i + 1, 0, 0, 'x', 10) : point(i + 1, s[0], s[1], s[2])));

describe('findOutages', () => {
  it('a stretch where the proxy answers 502 is one outage, from its first bad interval to the first good one', () => {
    const o = findOutages(
      series([
        [100, 0],
        [100, 0],
        [20, 300],
        [0, 900],
        [0, 880],
        [90, 2],
        [100, 0],
        [100, 0],
      ]),
    );
    // 20 succeeded in its first interval, before the proxy began failing: nothing succeeded within it.
    expect(o).toEqual([
      {
        fromMs: 2000,
        toMs: 5000,
        failures: 2080,
        requests: 2100,
        failuresByKind: {http_502: 2080},
        succeeded: 20,
        nothingSucceeded: true,
        stalled: false,
      },
    ]);
    expect(describeKind('http_502')).toBe('502 from the proxy');
    expect(describeKind('h2_stream_reset')).toBe('HTTP/2 streams reset');
  });

  it('nothing succeeding is said so; successes in its middle are not nothing', () => {
    const [o] = findOutages(
      series([
        [100, 0],
        [0, 500],
        [0, 500],
        [100, 0],
        [100, 0],
      ]),
    );
    expect(o.nothingSucceeded).toBe(true);
    expect(o.toMs! - o.fromMs).toBe(2000);
    const [some] = findOutages(
      series([
        [100, 0],
        [10, 500],
        [30, 500],
        [10, 500],
        [100, 0],
        [100, 0],
      ]),
    );
    expect(some).toMatchObject({nothingSucceeded: false, succeeded: 50});
  });

  it('one good interval inside it does not end it; two do', () => {
    expect(
      findOutages(
        series([
          [0, 500],
          [100, 0],
          [0, 500],
          [100, 0],
          [100, 0],
        ]),
      ),
    ).toHaveLength(1);
    expect(
      findOutages(
        series([
          [0, 500],
          [100, 0],
          [100, 0],
          [0, 500],
          [100, 0],
          [100, 0],
        ]),
      ),
    ).toHaveLength(2);
  });

  it('a run that ends inside an outage leaves it open (no toMs)', () => {
    const o = findOutages(
      series([
        [100, 0],
        [0, 500],
        [0, 500],
      ]),
    );
    expect(o).toHaveLength(1);
    expect(o[0].toMs).toBeUndefined();
  });

  it('a few failures among many successes are no outage; a low-rate run where everything fails twice is one', () => {
    expect(
      findOutages(
        series([
          [100, 4],
          [100, 40],
          [100, 3],
        ]),
      ),
    ).toEqual([]);
    // 2 requests a second, both refused: too few for the rate rule, but nothing succeeds two intervals in a row.
    const o = findOutages(
      series([
        [2, 0],
        [0, 2, 'conn_refused'],
        [0, 2, 'conn_refused'],
        [2, 0],
        [2, 0],
      ]),
    );
    expect(o).toEqual([expect.objectContaining({fromMs: 1000, toMs: 3000, failures: 4, failuresByKind: {conn_refused: 4}})]);
  });

  it('a stall (requests in flight, no response at all) after steady traffic is an outage; silence at a low rate is not', () => {
    const o = findOutages(series([[100, 0], [100, 0], 'stall', 'stall', 'stall', [100, 0], [100, 0]]));
    expect(o).toEqual([expect.objectContaining({fromMs: 2000, toMs: 5000, stalled: true, failures: 0})]);
    expect(findOutages(series([[2, 0], 'stall', 'stall', [2, 0]]))).toEqual([]);
  });
});
