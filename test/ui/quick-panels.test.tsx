// Quick mode's own panels, as oha shows them: status codes with their share, and the response-time histogram.
import {afterEach, describe, expect, test} from 'vitest';
import stringWidth from 'string-width';
import {cleanup} from 'ink-testing-library';
import {makeLive, makeRun} from './fixtures.js';
import {renderApp} from './render-at.js';
import {histogramLines, statusLines} from '../../source/ui/components/quick-panels.js';

afterEach(() => cleanup());

const buckets = Array.from({length: 11}, (_, i) => ({upToMs: (i + 1) * 2, count: i === 0 ? 400 : i === 10 ? 3 : 100 - i * 9}));
const quick = (rows?: number, columns?: number) =>
  renderApp({
    columns,
    rows,
    state: makeLive({mode: 'quick'}, {totals: {...makeRun().totals, statusCodes: {200: 4868, 503: 58, 429: 9}, latencyBuckets: buckets}}),
  });

describe('quick mode in the live view', () => {
  test('status codes, most frequent first, with their share; the histogram bar a bucket', async () => {
    const f = (await quick(50)).frame(); // tall enough for all 11 bars beside the fixture's five endpoints
    expect(f).toMatch(/┌ status codes ─/);
    expect(f).toMatch(/┌ response time histogram ─/);
    const lines = f.split('\n');
    const codes = lines.filter((l) => /│ \[(200|503|429)\]/.test(l)).map((l) => /\[(\d+)\]\s+([\d,.k]+)\s+(\S+)/.exec(l)!.slice(1));
    expect(codes).toEqual([
      ['200', '4,868', '99%'],
      ['503', '58', '1%'],
      ['429', '9', '<1%'],
    ]);
    expect(lines.filter((l) => /≤\d+ms/.test(l))).toHaveLength(11);
    expect(lines.find((l) => l.includes('≤2ms'))).toMatch(/≤2ms\s+400 \|■{20,}/);
  });

  test('at 80×24 the panels give way: nothing is wider than the terminal', async () => {
    const f = (await quick(24, 80)).frame();
    for (const l of f.split('\n')) expect(stringWidth(l), l).toBeLessThanOrEqual(80);
  });

  test('a scenario run has no such panels', async () => {
    expect((await renderApp()).frame()).not.toContain('status codes');
  });

  test('fewer rows than bars: neighbouring bars add up, nothing is lost', () => {
    const rows = histogramLines(buckets, 60, 4);
    expect(rows).toHaveLength(4);
    const total = rows.map((r) => Number(r[1].text.trim().replace(/,/g, ''))).reduce((a, b) => a + b, 0);
    expect(total).toBe(buckets.reduce((n, b) => n + b.count, 0));
    expect(statusLines({}, 40, 5)[0][0].text).toBe(' no response yet');
  });
});
