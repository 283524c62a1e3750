// The live view of a controller in a real terminal (tmux): a row per agent, and `+` reaching every agent within
// 1 s. Each agent owns its own user numbers (one worker each: agent by parity), so the target tells who started
// the users the key asked for, and when.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {BIN} from '../cli/run-cli.js';
import {tempDir} from '../helpers/run.js';
import {natsServerBin, startAgent, startNats} from '../helpers/nats.js';
import {hasTmux, TmuxSession} from '../e2e/tmux.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe.skipIf(!natsServerBin() || !hasTmux())('the live view of a run on agents', () => {
  it("shows a row per agent, and '+' reaches every agent within 1 s", async () => {
    const firstSeen = new Map<number, number>();
    const server = http.createServer((req, res) => {
      const id = Number(/\/u\/(\d+)/.exec(req.url ?? '')?.[1]);
      if (!firstSeen.has(id)) firstSeen.set(id, Date.now());
      setTimeout(() => res.end('ok'), 20);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => {
      server.closeAllConnections();
      server.close();
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const nats = await startNats();
    cleanups.push(() => nats.close());
    const agents = await Promise.all(['a1', 'a2'].map((name) => startAgent(nats.url, name, ['--workers', '1'])));
    for (const a of agents) cleanups.push(() => a.kill('SIGKILL'));
    const tmp = tempDir('brink-agents-keys-');
    cleanups.push(() => tmp.cleanup());
    const file = tmp.write(
      'ids.ts',
      `import {scenario, user, task} from 'brink';
export default scenario({name: 'ids', users: [user('u', [task(({http, userId}) => http.get('/u/' + userId))])]});
`,
    );
    const session = new TmuxSession(
      `node ${BIN} run ${file} --host ${url} -u 2 -r 1000 --step 10 --agents ${nats.url} --expect-agents 2; sleep 60`,
      120,
      40,
    );
    cleanups.push(() => session.kill());
    // A row per agent (in the order they joined): its name, host, users, req/s, CPU and event loop.
    const row = (name: string, users: number) =>
      new RegExp(`^ ${name} .*users ${users} +req/s [\\d.k]+ +cpu [\\d.]+/\\d+ +loop \\d+% (ok|busy|saturated)`, 'm');
    const both = (users: number) =>
      new RegExp(
        `${row('a1', users).source}[\\s\\S]*${row('a2', users).source}|${row('a2', users).source}[\\s\\S]*${row('a1', users).source}`,
        'm',
      );
    await session.waitFor(both(1));
    expect(firstSeen.size).toBe(2);
    const pressed = Date.now();
    session.keys('+');
    const until = pressed + 5000;
    const reached = () => {
      const news = [...firstSeen].filter(([id]) => id >= 2);
      const even = news.filter(([id]) => id % 2 === 0).map(([, at]) => at);
      const odd = news.filter(([id]) => id % 2 === 1).map(([, at]) => at);
      return even.length > 0 && odd.length > 0 ? Math.max(Math.min(...even), Math.min(...odd)) : undefined;
    };
    while (reached() === undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const at = reached();
    expect(at, 'both agents started new users').toBeDefined();
    expect(at! - pressed, "from '+' to the last agent's first new user").toBeLessThan(1000);
    // All ten arrive, and the screen says 12 users, 6 on each agent.
    await session.waitFor(both(6), 10_000);
    expect([...firstSeen.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    session.keys('q');
    await session.waitFor(/requests/, 15_000);
  });
});
