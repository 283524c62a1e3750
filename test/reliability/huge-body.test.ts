// A target that answers with hundreds of MB: brink streams it through without buffering. Scenario mode
// keeps at most maxBodyBytes (1 MiB by default) for text()/json() and drops the rest; quick mode dumps
// everything. RSS is sampled all along while 300 MB go through.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {hugeBody, startRawServer, type Counted} from '../helpers/misbehaving-server.js';
import {endpoint, scenarioFile, sleep} from '../helpers/run.js';
import {Engine} from '../../source/engine/engine.js';
import type {Workload} from '../../source/protocol/messages.js';
import type {RunState} from '../../source/engine/run-state.js';
import {MB, drained, gc, rssMb, rssSampler} from './support.js';

const BODY = 100 * MB; // per response
const STREAM = 300 * MB; // per run

let server: Counted;
let body: ReturnType<typeof hugeBody>;
beforeAll(async () => {
  body = hugeBody(BODY);
  server = await startRawServer(body);
});
afterAll(async () => {
  await server.close();
});

/** Runs one user until `STREAM` bytes went through (or 20 s), sampling RSS from just after the worker started. */
async function stream(workload: Workload): Promise<{final: RunState; baseline: number; peak: number; sent: number; seconds: number}> {
  const engine = new Engine({workload, host: server.url, workers: 1, intervalMs: 250});
  await engine.start();
  const sentBefore = body.sent;
  gc();
  const baseline = rssMb();
  const rss = rssSampler();
  const started = performance.now();
  try {
    engine.setUsers(1);
    const until = Date.now() + 20_000;
    while (body.sent - sentBefore < STREAM && Date.now() < until) await sleep(50);
  } finally {
    await engine.stop();
  }
  return {final: engine.state, baseline, peak: rss.stop(), sent: body.sent - sentBefore, seconds: (performance.now() - started) / 1000};
}

describe('a huge body', () => {
  it('scenario mode keeps 1 MiB of it for the script, drops the rest, and RSS stays low', async () => {
    const sc = await scenarioFile(`import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {}, [
  task('huge', async ({http}) => {
    const res = await http.get('/huge');
    res.check(res.text().length === 1048576, 'kept ' + res.text().length + ' bytes');
  }),
])]});
`);
    let r;
    try {
      r = await stream(sc.workload);
    } finally {
      sc.cleanup();
    }
    const e = endpoint(r.final, 'GET /huge');
    console.log(
      `scenario mode: ${(r.sent / MB).toFixed(0)} MB streamed in ${r.seconds.toFixed(1)} s, ${e.requests} complete responses, RSS ${r.baseline.toFixed(0)} → peak ${r.peak.toFixed(0)} MB (+${(r.peak - r.baseline).toFixed(0)} MB)`,
    );
    expect(r.sent).toBeGreaterThanOrEqual(STREAM);
    expect(e.requests).toBeGreaterThanOrEqual(2);
    // Each complete response kept exactly maxBodyBytes: the check passed every time.
    expect(e.failures).toBe(0);
    expect(e.statusCodes).toEqual({200: e.requests});
    expect(r.peak - r.baseline).toBeLessThan(200);
    expect(await drained([server])).toBe(0);
  }, 40_000);

  it('quick mode dumps it, and RSS stays low', async () => {
    const r = await stream({kind: 'quick', method: 'GET', path: '/huge', headers: {}});
    const e = endpoint(r.final, 'GET /huge');
    console.log(
      `quick mode: ${(r.sent / MB).toFixed(0)} MB streamed in ${r.seconds.toFixed(1)} s, ${e.requests} complete responses, RSS ${r.baseline.toFixed(0)} → peak ${r.peak.toFixed(0)} MB (+${(r.peak - r.baseline).toFixed(0)} MB)`,
    );
    expect(r.sent).toBeGreaterThanOrEqual(STREAM);
    expect(e.requests).toBeGreaterThanOrEqual(2);
    expect(e.failures).toBe(0);
    expect(r.peak - r.baseline).toBeLessThan(200);
    expect(await drained([server])).toBe(0);
  }, 40_000);
});
