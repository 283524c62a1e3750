import {describe, expect, it} from 'vitest';
import {addEncoded, createHistogram, encode, latencyMs, MAX_LATENCY_US, meanUs, recordUs} from '../../source/kernel/histogram.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

describe('histogram merging', () => {
  it('two histograms, encoded and merged, equal one histogram fed every value', () => {
    const random = lcg(1);
    const single = createHistogram();
    const a = createHistogram();
    const b = createHistogram();
    for (let i = 0; i < 50_000; i++) {
      // A long-tailed latency: mostly 1–20 ms, some up to 2 s.
      const us = random() < 0.95 ? 1000 + random() * 19_000 : 20_000 + random() * 2_000_000;
      recordUs(single, us);
      recordUs(i % 3 === 0 ? a : b, us);
    }
    const merged = createHistogram();
    addEncoded(merged, encode(a));
    addEncoded(merged, encode(b));
    expect(merged.totalCount).toBe(50_000);
    expect(merged.totalCount).toBe(single.totalCount);
    for (const p of [1, 50, 90, 95, 99, 99.9, 100]) expect(merged.getValueAtPercentile(p)).toBe(single.getValueAtPercentile(p));
    // A decoded histogram knows values only to its buckets (0.1 %): the max is the bucket's top, not the exact value.
    expect(Math.abs(merged.maxValue - single.maxValue) / single.maxValue).toBeLessThan(0.001);
    expect(merged.minNonZeroValue).toBe(single.minNonZeroValue);
    expect(Math.abs(merged.mean - single.mean) / single.mean).toBeLessThan(0.001);
    const [m, s] = [latencyMs(merged), latencyMs(single)];
    expect({p50: m.p50, p90: m.p90, p95: m.p95, p99: m.p99}).toEqual({p50: s.p50, p90: s.p90, p95: s.p95, p99: s.p99});
  });

  it('merging an empty encoded histogram changes nothing', () => {
    const h = createHistogram();
    recordUs(h, 5000);
    addEncoded(h, encode(createHistogram()));
    expect(h.totalCount).toBe(1);
    expect(latencyMs(h).p50).toBeCloseTo(5, 2); // within the 0.1 % bucket
  });

  it('an encoded snapshot survives a reset of its source (workers reset after each snapshot)', () => {
    const worker = createHistogram();
    const total = createHistogram();
    recordUs(worker, 1000);
    const first = encode(worker);
    worker.reset();
    recordUs(worker, 3000);
    addEncoded(total, first);
    addEncoded(total, encode(worker));
    expect(total.totalCount).toBe(2);
    expect(latencyMs(total).p50).toBe(1);
    expect(latencyMs(total).max).toBeCloseTo(3, 2);
  });
});

describe('latencyMs', () => {
  it('reports milliseconds from microsecond records', () => {
    const h = createHistogram();
    for (const us of [1500, 1500, 1500, 2500, 10_000]) recordUs(h, us);
    const l = latencyMs(h);
    expect(l.p50).toBe(1.5); // below 2.048 ms the buckets are 1 µs wide: exact
    expect(l.p90).toBeCloseTo(10, 1);
    expect(Math.abs(l.p90 - 10) / 10).toBeLessThan(0.001);
    expect(l.max).toBeCloseTo(10, 1);
    expect(l.mean).toBeCloseTo((1500 * 3 + 2500 + 10_000) / 5 / 1000, 2);
  });

  it('is all zeros when empty', () => {
    expect(latencyMs(createHistogram())).toEqual({mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0});
  });

  it('keeps 3 significant digits over seconds', () => {
    const h = createHistogram();
    recordUs(h, 2_345_678); // 2.345678 s
    const {max} = latencyMs(h);
    expect(Math.abs(max - 2345.678) / 2345.678).toBeLessThan(0.001);
  });

  it('clamps values below 1 µs and above the ceiling, and rounds fractions', () => {
    const h = createHistogram();
    recordUs(h, 0);
    recordUs(h, -5);
    expect(h.minNonZeroValue).toBe(1);
    recordUs(h, MAX_LATENCY_US * 10);
    expect(h.totalCount).toBe(3);
    expect(Math.abs(h.maxValue - MAX_LATENCY_US) / MAX_LATENCY_US).toBeLessThan(0.001);
    const g = createHistogram();
    recordUs(g, 2.6);
    expect(g.maxValue).toBe(3);
  });
});

describe('meanUs', () => {
  it("equals the histogram's own mean (its generic iterator), on long-tailed and on merged data", () => {
    const random = lcg(7);
    const h = createHistogram();
    for (let i = 0; i < 20_000; i++) recordUs(h, random() < 0.9 ? 200 + random() * 5_000 : 5_000 + random() * 9_000_000);
    expect(meanUs(h)).toBeCloseTo(h.mean, 6);
    const merged = createHistogram();
    addEncoded(merged, encode(h));
    recordUs(merged, MAX_LATENCY_US);
    expect(meanUs(merged)).toBeCloseTo(merged.mean, 6);
    expect(meanUs(createHistogram())).toBe(0);
    // And the figure reports show is this mean, in ms.
    expect(latencyMs(h).mean).toBe(Math.round(h.mean) / 1000);
  });
});

describe('recordUs', () => {
  it("puts every value in the slot the library's own recordValue would, from 1 µs to the top", () => {
    const random = lcg(7);
    const values = [0.2, 1, 2, 1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 65_535, 65_536, 1_000_000, 2 ** 30, MAX_LATENCY_US - 1];
    values.push(MAX_LATENCY_US, MAX_LATENCY_US * 2); // the top, and past it (held at the top)
    for (let i = 0; i < 20_000; i++) values.push(Math.exp(random() * Math.log(MAX_LATENCY_US)));
    const ours = createHistogram();
    const theirs = createHistogram();
    for (const us of values) {
      recordUs(ours, us);
      theirs.recordValue(us < 1 ? 1 : us > MAX_LATENCY_US ? MAX_LATENCY_US : Math.round(us));
    }
    expect(encode(ours)).toBe(encode(theirs));
    expect(ours.totalCount).toBe(values.length);
    expect([ours.minNonZeroValue, ours.maxValue]).toEqual([theirs.minNonZeroValue, theirs.maxValue]);
    for (const p of [0, 10, 50, 90, 99, 99.99, 100]) expect(ours.getValueAtPercentile(p)).toBe(theirs.getValueAtPercentile(p));
  });
});
