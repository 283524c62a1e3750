// Bottleneck and hurt by the utilisation law, on steps whose truth we wrote: an expensive endpoint that
// saturates the target, and cheap ones that queue behind it (their latency rises most, they are not the cause).
import {describe, expect, it} from 'vitest';
import {findBreakingPoint} from '../../source/analysis/breaking-point.js';
import type {Segment, SegmentEndpoint} from '../../source/engine/segments.js';

const ep = (rps: number, mean: number, p95 = mean * 2, requests = Math.round(rps * 5)): SegmentEndpoint => ({
  requests,
  failures: 0,
  rps,
  mean,
  p50: mean,
  p95,
  p99: p95 * 1.5,
  failuresByKind: {},
});

function step(index: number, users: number, endpoints: Record<string, SegmentEndpoint>, failures = 0): Segment {
  const list = Object.values(endpoints);
  const requests = list.reduce((n, e) => n + e.requests, 0);
  const rps = list.reduce((n, e) => n + e.rps, 0);
  const p95 = Math.max(...list.map((e) => e.p95));
  return {
    index,
    label: `${index}/9 ${users} users`,
    kind: 'step',
    fromMs: (index - 1) * 5000,
    toMs: index * 5000,
    settledFromMs: (index - 1) * 5000 + 1000,
    users,
    targetUsers: users,
    requests,
    failures,
    failuresByKind: failures ? {http_503: failures} : {},
    dropped: 0,
    scriptErrors: 0,
    rps,
    failRate: failures / requests,
    latencyMs: {mean: p95 / 2, p50: p95 / 3, p90: p95 * 0.9, p95, p99: p95 * 1.5, max: p95 * 2},
    endpoints,
  };
}

describe('bottleneck and hurt', () => {
  // Orders cost 25 ms and hold a lock (40/s at most); reads cost 2 ms. Reads are 4× as frequent.
  const climb = [
    step(1, 4, {'POST /api/orders': ep(8, 27, 35), 'GET /api/products/:id': ep(32, 2.2, 4)}),
    step(2, 8, {'POST /api/orders': ep(16, 28, 50), 'GET /api/products/:id': ep(64, 2.4, 8)}),
    step(3, 12, {'POST /api/orders': ep(24, 31, 90), 'GET /api/products/:id': ep(96, 2.6, 30)}),
    step(4, 16, {'POST /api/orders': ep(33, 45, 260), 'GET /api/products/:id': ep(132, 9, 140)}),
    step(5, 20, {'POST /api/orders': ep(34, 90, 400), 'GET /api/products/:id': ep(136, 30, 260)}),
  ];

  it('names the expensive endpoint, with the figures behind it, and the cheap one it hurt', () => {
    const bp = findBreakingPoint(climb, []);
    expect(bp.knee?.segment).toBe(5);
    expect(bp.bottleneck).toMatchObject({endpoint: 'POST /api/orders', at: 'knee', confidence: 'clear', serviceMs: 27, rps: 34});
    // 34 × 27 ms = 0.92 s/s of 0.92 + 136 × 2.2 ms = 0.30: ≈ 75 %.
    expect(bp.bottleneck!.share).toBeCloseTo(0.918 / (0.918 + 0.2992), 2);
    expect(bp.bottleneck!.evidence).toMatch(/^≈ 75 % of busy time at the knee \(step 5, 20 users\): 34 req\/s × 27 ms/);
    expect(bp.hurt?.[0]).toMatchObject({endpoint: 'GET /api/products/:id', baselineP95: 4, p95: 260, factor: 65});
    // The first to degrade is still the cheap one: true, and exactly what must not be read as the cause.
    expect(bp.firstToDegrade?.endpoint).toBe('GET /api/products/:id');
  });

  it('says so rather than guess when one endpoint only had traffic', () => {
    const solo = climb.map((s) => step(s.index, s.users, {'GET /': s.endpoints['POST /api/orders']}));
    const bp = findBreakingPoint(solo, []);
    expect(bp.knee).toBeDefined();
    expect(bp.bottleneck).toBeUndefined();
    expect(bp.bottleneckUnclear).toMatch(/only one endpoint \(GET \/\)/);
  });

  it('a close call names the runner-up', () => {
    const close = climb.map((s) =>
      step(s.index, s.users, {
        'POST /api/orders': s.endpoints['POST /api/orders'],
        'GET /api/reports': ep(s.endpoints['POST /api/orders'].rps, 20, 40),
      }),
    );
    const bp = findBreakingPoint(close, []);
    expect(bp.bottleneck?.confidence).toBe('close');
    expect(bp.bottleneck?.evidence).toMatch(/close: GET \/api\/reports ≈ 4\d %/);
  });

  it('the knee and the breaking point are told apart, and the sustainable step keeps within the rules', () => {
    const failing = [...climb.slice(0, 3), step(4, 16, climb[3].endpoints, 40), climb[4]];
    const bp = findBreakingPoint(failing, []);
    expect(bp.reached).toBe('both');
    expect(bp.broken).toMatchObject({segment: 4, reason: expect.stringMatching(/^failures/)});
    expect(bp.knee?.segment).toBe(5);
    expect(bp.maxSustainable).toMatchObject({segment: 3, users: 12, failures: 0});
    // Judged where the target saturated: the knee comes after the break here, so at the knee still.
    expect(bp.bottleneck?.at).toBe('knee');
  });

  it('a recovery window is never a step of the climb', () => {
    const recovery = {...step(6, 4, climb[0].endpoints), kind: 'recovery' as const};
    expect(findBreakingPoint([...climb, recovery], []).knee?.segment).toBe(5);
  });
});
