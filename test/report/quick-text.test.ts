// Quick mode's summary reads as hey's and oha's: totals, the histogram, the distribution, status codes, errors.
import {describe, expect, it} from 'vitest';
import {quickSummaryLines} from '../../source/report/quick-text.js';
import {summaryText} from '../../source/report/text.js';
import {endpoint, summary} from './summaries.js';

const s = summary([endpoint('GET', '/', {requests: 1000, failures: 20, p50: 4, p95: 9, p99: 20})], {
  mode: 'quick',
  durationMs: 10_000,
});
const quick = {
  ...s,
  totals: {
    ...s.totals,
    latencyMs: {mean: 5, p50: 4, p75: 5, p90: 7, p95: 9, p99: 20, max: 31, min: 0.4, p999: 30, p9999: 31},
    statusCodes: {200: 980, 503: 15},
    failuresByKind: {http_503: 15, conn_reset: 5},
    latencyBuckets: [
      {upToMs: 3, count: 700},
      {upToMs: 6, count: 250},
      {upToMs: 9, count: 0},
      {upToMs: 12, count: 50},
    ],
  },
};

describe('quick mode summary', () => {
  it('as hey and oha print it', () => {
    const text = quickSummaryLines(quick).join('\n');
    expect(text).toContain('Summary:\n  Success rate:  98.00%\n  Total:         10.0000 secs\n');
    expect(text).toContain('  Requests/sec:  100.0000');
    expect(text).toContain(
      'Response time histogram:\n  0.0030 [700] |■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■\n  0.0060 [250] |■■■■■■■■■■■■■■\n  0.0090 [0]   |\n',
    );
    expect(text).toContain('Response time distribution:\n  50.00% in 0.0040 secs\n  75.00% in 0.0050 secs\n');
    expect(text).toContain('Status code distribution:\n  [200] 980 responses\n  [503] 15 responses\n');
    // Failures without a status are the errors; a 503 is already among the status codes.
    expect(text).toContain('Error distribution:\n  [5] connections reset (conn_reset)\n');
  });

  it("is what the text summary shows for quick mode, instead of brink's endpoint table", () => {
    expect(summaryText(quick)).toContain('Status code distribution:');
    expect(summaryText(quick)).not.toMatch(/^endpoint\s+requests/m);
    expect(summaryText({...quick, mode: 'scenario'})).toMatch(/^endpoint\s+requests/m);
  });
});
