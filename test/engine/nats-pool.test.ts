// The controller's pool against a scripted agent on a real nats-server: a snapshot sent twice, one sent late,
// and one sent after the agent's final are each counted once, or not at all: never double.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {connect, type NatsConnection} from '@nats-io/transport-node';
import {Engine} from '../../source/engine/engine.js';
import {NatsPool, requestShare} from '../../source/engine/nats-pool.js';
import {AGENT_PROTOCOL, SUBJECTS, type DownMessage, type JoinRequest, type UpMessage} from '../../source/protocol/agents.js';
import type {IntervalSnapshot} from '../../source/protocol/snapshot.js';
import {createHistogram, encode, recordUs} from '../../source/kernel/histogram.js';
import {natsServerBin, startNats, type NatsServer} from '../helpers/nats.js';

const HAS_NATS = natsServerBin() !== undefined;
let nats: NatsServer;
beforeAll(async () => {
  if (HAS_NATS) nats = await startNats();
});
afterAll(async () => {
  await nats?.close();
});

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const parse = <T>(data: Uint8Array) => JSON.parse(new TextDecoder().decode(data)) as T;

function snapshot(seq: number, requests: number): IntervalSnapshot {
  const h = createHistogram();
  for (let i = 0; i < requests; i++) recordUs(h, 1000 + i);
  const now = Date.now();
  return {
    seq,
    from: now - 1000,
    at: now,
    health: {
      workerId: 0,
      elu: 0.1,
      users: 1,
      busyUsers: 1,
      stoppingUsers: 0,
      dropped: 0,
      inFlight: 0,
      startFailures: 0,
      endpointOverflow: false,
    },
    endpoints: [
      {
        key: 'GET /',
        method: 'GET',
        name: '/',
        requests,
        failures: 0,
        histogram: encode(h),
        statusCodes: {'200': requests},
        failuresByKind: {},
        firstFailureAt: {},
        errors: [],
      },
    ],
  };
}

/** An agent that answers each interval with 10 requests, twice, and the second interval late. */
async function scriptedAgent(url: string): Promise<{nc: NatsConnection; answered: Set<number>}> {
  const nc = await connect({servers: url.replace('nats://', '')});
  const answered = new Set<number>();
  const hello = () =>
    nc.publish(
      SUBJECTS.hello,
      json({protocol: AGENT_PROTOCOL, brink: 'test', id: 'scripted', name: 's1', host: 'here', cores: 1, busy: false}),
    );
  nc.subscribe(SUBJECTS.discover, {callback: hello});
  nc.subscribe(SUBJECTS.agent('scripted'), {
    callback: (_, msg) => {
      const join = parse<JoinRequest>(msg.data);
      const up = (m: UpMessage) => nc.publish(SUBJECTS.up(join.runId), json(m));
      const beat = setInterval(
        () => up({type: 'heartbeat', agent: 0, cpuCores: 0, cores: 1, output: {lines: 0, bytes: 0, droppedBytes: 0}}),
        500,
      );
      const onDown = (_: unknown, m: {data: Uint8Array}) => {
        const d = parse<DownMessage>(m.data);
        if (d.type === 'setup') up({type: 'ready', agent: 0, workers: 1});
        else if (d.type === 'snapshot') {
          answered.add(d.seq);
          const send = () => {
            up({type: 'snapshot', agent: 0, snapshot: snapshot(d.seq, 10)});
            up({type: 'snapshot', agent: 0, snapshot: snapshot(d.seq, 10)}); // a duplicate
          };
          if (d.seq === 2) setTimeout(send, 800);
          else send();
        } else if (d.type === 'stop') {
          clearInterval(beat);
          up({type: 'stopped', agent: 0, snapshot: snapshot(-1, 5)});
          up({type: 'stopped', agent: 0, snapshot: snapshot(-1, 5)});
          up({type: 'snapshot', agent: 0, snapshot: snapshot(99, 10)}); // after its final: not counted
        }
      };
      nc.subscribe(SUBJECTS.down(join.runId), {callback: onDown});
      nc.subscribe(SUBJECTS.downTo(join.runId, join.index), {callback: onDown});
      msg.respond(json({ok: true, workers: 1}));
    },
  });
  hello();
  return {nc, answered};
}

describe.skipIf(!HAS_NATS)('NatsPool', () => {
  it('counts a snapshot once per (agent, seq): duplicates, late ones and strays after the final are not added twice', async () => {
    const agent = await scriptedAgent(nats.url);
    const pool = new NatsPool({
      nats: {url: nats.url},
      expect: 1,
      timeoutMs: 5000,
      rebalance: false,
      workload: {kind: 'quick', method: 'GET', path: '/', headers: {}},
      host: 'http://127.0.0.1:9',
      yes: false,
    });
    const engine = new Engine({workload: {kind: 'quick', method: 'GET', path: '/', headers: {}}, host: 'http://127.0.0.1:9', pool});
    await engine.start();
    engine.setUsers(1);
    await new Promise((resolve) => setTimeout(resolve, 3600));
    const state = await engine.stop(500);
    await agent.nc.close();
    // Every seq the agent answered counts 10 (the late one too, in a later interval), the final 5: nothing twice.
    expect(agent.answered.size).toBeGreaterThanOrEqual(3);
    expect(state.totals.requests).toBe(10 * agent.answered.size + 5);
    expect(state.health.workers[0].agent).toMatchObject({name: 's1', host: 'here', requests: state.totals.requests, lost: false});
  });
});

describe('-n over agents', () => {
  it("deals n as the slots are: each agent's share is its slots' shares, and the shares add up to n", () => {
    // 4 slots dealt round-robin to two agents of two workers each.
    expect(requestShare(301, [0, 2], 4) + requestShare(301, [1, 3], 4)).toBe(301);
    expect(requestShare(301, [0, 2], 4)).toBe(151); // slot 0 takes the remainder's one
    expect(requestShare(3, [3], 4)).toBe(0);
    expect(requestShare(3, [0, 1, 2], 4)).toBe(3);
  });
});
