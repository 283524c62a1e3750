// Run after run against failing targets, brink gives back what it took: each run's connections close,
// its worker holds no more sockets than it has users, and the process's RSS does not climb.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {BEHAVIOURS, selfSignedCert, startRawServer, startTlsServer, type Counted} from '../helpers/misbehaving-server.js';
import {freePort} from '../helpers/fault-server.js';
import {scenarioFile, tempDir} from '../helpers/run.js';
import {drained, gc, probedRun, rssMb, sockets} from './support.js';

const RUNS = 5;
const servers: Record<string, Counted> = {};
const tmp = tempDir('brink-leaks-');
let refusedPort: number;

beforeAll(async () => {
  for (const name of ['ok', 'silent', 'resetMidResponse', 'garbageStatus', 'shortBody'] as const)
    servers[name] = await startRawServer(BEHAVIOURS[name]);
  servers.tls = await startTlsServer(selfSignedCert(tmp.dir));
  refusedPort = await freePort();
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
  tmp.cleanup();
});

describe('repeated runs against failing targets', () => {
  it(`${RUNS} runs: connections all closed after each, worker sockets bounded, RSS flat`, async () => {
    const targets = [
      ...Object.entries(servers).map(([name, s]) => [name, `${s.url}/${name}`]),
      ['refused', `http://127.0.0.1:${refusedPort}/`],
    ];
    const sc = await scenarioFile(`import {scenario, user, task} from 'brink';
const targets = ${JSON.stringify(targets)};
export default scenario({users: [user('u', {}, [
  task(async ({http, userId}) => {
    const [name, url] = targets[userId % targets.length];
    await http.get(url, {name, timeout: name === 'silent' ? 0.3 : 2});
  }),
])]});
`);
    const rss: number[] = [];
    const held: number[] = [];
    const heap: number[] = [];
    let requests = 0;
    try {
      for (let run = 0; run < RUNS; run++) {
        const r = await probedRun({
          workload: sc.workload,
          host: servers.ok.url,
          users: targets.length,
          durationMs: 900,
          probeAtMs: 800,
          timeoutMs: 2000,
        });
        requests += r.final.totals.requests;
        expect(r.final.totals.failures).toBeGreaterThan(0);
        held.push(sockets(r.probes[0]));
        heap.push(r.probes[0].heapUsed / 1048576);
        expect(await drained(Object.values(servers))).toBe(0);
        gc();
        rss.push(rssMb());
      }
    } finally {
      sc.cleanup();
    }
    console.log(
      `${RUNS} runs, ${requests} requests (mostly failures): RSS after each run ${rss.map((m) => m.toFixed(0)).join(', ')} MB; worker sockets ${held.join(', ')}; worker heap ${heap.map((m) => m.toFixed(1)).join(', ')} MB`,
    );
    for (const n of held) expect(n).toBeLessThanOrEqual(targets.length * 2);
    // The first run warms up (modules, JIT, allocator pools); from then on RSS stays flat.
    expect(rss.at(-1)! - rss[1]).toBeLessThan(30);
  }, 60_000);
});
