// A target that dies and comes back on the same port mid-run: refused while it is down, successes once
// it is back, and the run never stops. Counts are checked against the server's own.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFlakyServer, type FlakyServer} from '../helpers/misbehaving-server.js';
import {scenarioFile, sleep} from '../helpers/run.js';
import type {Workload} from '../../source/protocol/messages.js';
import type {RunState} from '../../source/engine/run-state.js';
import {drained, probedRun} from './support.js';

let server: FlakyServer;
beforeAll(async () => {
  server = await startFlakyServer();
});
afterAll(async () => {
  await server.close();
});

const UP_MS = 800;
const DOWN_MS = 800;

/** Up for UP_MS, down for DOWN_MS, up again until the end; returns when each phase began (ms into the run). */
async function cycle(): Promise<{downAt: number; upAt: number}> {
  const t0 = performance.now();
  await sleep(UP_MS);
  await server.down();
  const downAt = performance.now() - t0;
  await sleep(DOWN_MS);
  await server.up();
  return {downAt, upAt: performance.now() - t0};
}

async function flakyRun(workload: Workload, users: number) {
  const before = server.requests;
  let phases = {downAt: 0, upAt: 0};
  const result = await probedRun({
    workload,
    host: server.url,
    users,
    durationMs: UP_MS + DOWN_MS + 1200,
    timeoutMs: 2000,
    during: async () => {
      phases = await cycle();
    },
  });
  return {...result, served: server.requests - before, phases};
}

function check(final: RunState, states: RunState[], served: number, label: string): void {
  const t = final.totals;
  const kinds = t.failuresByKind;
  console.log(
    `${label}: ${t.requests} requests, ${served} served, failures ${JSON.stringify(kinds)}; per interval (rps/fail%):`,
    final.series.map((p) => `${p.rps.toFixed(0)}/${(p.failRate * 100).toFixed(0)}`).join(' '),
  );
  // Down: refused. The requests in flight when it went down: closed or reset.
  expect(kinds.conn_refused).toBeGreaterThan(0);
  expect(Object.keys(kinds).every((k) => ['conn_refused', 'socket_closed', 'conn_reset'].includes(k))).toBe(true);
  // Every success was served; every request served was a success, or one cut off when the server died.
  const successes = t.requests - t.failures;
  expect(successes).toBeLessThanOrEqual(served);
  expect(served - successes).toBeLessThanOrEqual((kinds.socket_closed ?? 0) + (kinds.conn_reset ?? 0));
  // The run never stopped: every interval had requests; the last ones all succeeded.
  const series = final.series.slice(1, -1); // the first and the final partial one may be short
  for (const p of series) expect(p.requests, `interval at ${p.t}s`).toBeGreaterThan(0);
  const last = final.series.slice(-3, -1);
  for (const p of last) expect(p.failures, `interval at ${p.t}s`).toBe(0);
  expect(states.some((s) => s.now.failRate === 1)).toBe(true); // an interval all refused
}

describe('a server that dies and comes back', () => {
  it('quick mode: refused while down, successes after, the run goes on', async () => {
    const r = await flakyRun({kind: 'quick', method: 'GET', path: '/', headers: {}}, 4);
    console.log('quick phases (ms):', r.phases);
    check(r.final, r.states, r.served, 'quick mode');
    expect(await drained([server])).toBe(0);
  }, 20_000);

  it('scenario mode: the same', async () => {
    const sc = await scenarioFile(`import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {}, [
  task(async ({http}) => { await http.get('/a'); await http.get('/b'); }),
])]});
`);
    try {
      const r = await flakyRun(sc.workload, 4);
      check(r.final, r.states, r.served, 'scenario mode');
      expect(r.final.users.target).toBe(4);
    } finally {
      sc.cleanup();
    }
    expect(await drained([server])).toBe(0);
  }, 20_000);
});
