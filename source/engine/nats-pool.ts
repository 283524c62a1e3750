// The worker pool of a run over many machines: brink agents reached through a NATS server. The controller
// generates no load; it enrols --expect-agents agents, ships them the scenario and its data, deals them the
// run's slots (users and the arrival rate split by their workers), starts them together, and relays the
// engine's asks to all of them at once. Each agent answers an interval with one snapshot (its workers'
// merged), so to the engine an agent is a worker: the aggregator merges histograms, never percentiles, and
// everything above the engine runs as on one box.
//
// Faults: an agent silent for 3 s is lost (its users stay lost unless --rebalance); its later messages are
// ignored, and a snapshot is counted once per (agent, seq). The controller heartbeats, and agents stop by
// themselves when it falls silent (agent.ts).
import {randomBytes} from 'node:crypto';
import os from 'node:os';
import type {WorkerProbe, Workload} from '../protocol/messages.js';
import type {IntervalSnapshot} from '../protocol/snapshot.js';
import {
  AGENT_PROTOCOL,
  SUBJECTS,
  type AgentHello,
  type DownMessage,
  type FileRequest,
  type JoinReply,
  type JoinRequest,
  type RunSetup,
  type UpMessage,
} from '../protocol/agents.js';
import {BrinkError} from '../kernel/errors.js';
import {selfEntryUrl} from '../kernel/spawn-worker.js';
import {EngineError, type OutputCounts, type PoolEvents, type WorkerPool} from './worker-pool.js';
import {connectNats, decodeJson, encodeJson, shownUrl, type NatsConnection, type NatsSettings} from './agents/nats.js';
import {dealSlots, rebalancedTotal, shareOf} from './agents/slots.js';
import {readChunk, shipment, type Shipment} from './agents/files.js';

export interface NatsPoolOptions {
  readonly nats: NatsSettings;
  /** Agents to enrol (--expect-agents). */
  readonly expect: number;
  /** How long to wait for them (--agent-timeout). */
  readonly timeoutMs: number;
  /** Give a lost agent's users to the others (--rebalance). */
  readonly rebalance: boolean;
  readonly workload: Workload;
  readonly host: string;
  /** --yes: the agents' target guard lets a public host through. */
  readonly yes: boolean;
  /** Worker threads on each agent (--workers); undefined: each agent's own choice. */
  readonly workers?: number;
  readonly timeoutMsPerRequest?: number;
  readonly maxBodyBytes?: number;
  readonly maxEndpoints?: number;
  readonly insecure?: boolean;
  /** --http2: h2 by ALPN (h2c over http://), every request through undici. */
  readonly http2?: boolean;
  readonly taskTimeoutMs?: number;
  readonly maxRps?: number;
  /** --strip-header: headers a redirect to another origin drops, besides the credentials. */
  readonly stripHeaders?: ReadonlyArray<string>;
  /** Quick mode's -n: the requests to send in all, dealt as the slots are. */
  readonly requests?: number;
  /** An agent silent this long is lost (default 3000 ms). */
  readonly lostAfterMs?: number;
  /** This brink's version: an agent running another is said in the event log. */
  readonly version?: string;
}

/** A message to agents, before the controller's clock is stamped on it. */
type Down = DownMessage extends infer T ? (T extends unknown ? Omit<T, 'now'> : never) : never;

const HEARTBEAT_MS = 500;
/** An agent's workers load the workload (a scenario's top level runs within 10 s) after its files arrive. */
const MIN_LOAD_MS = 30_000;
/** The ready barrier: every agent's first interval starts this long after the last one is ready. */
const START_DELAY_MS = 200;

interface Enrolled {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly host: string;
  readonly workers: number;
  slots: number[];
  lastHeard: number;
  ready: boolean;
  lost: boolean;
  stopped: boolean;
  /** Its share of -n has ended. */
  spent: boolean;
  /** Snapshot seqs already counted (a duplicate is dropped). */
  readonly seen: Set<number>;
  requests: number;
  failures: number;
  peakUsers: number;
  lastUsers: number;
  output: OutputCounts;
}

export class NatsPool implements WorkerPool {
  private nc: NatsConnection | undefined;
  private readonly runId = randomBytes(6).toString('hex');
  private events!: PoolEvents;
  private readonly agents: Enrolled[] = [];
  private slotCount = 0;
  private toldSpent = false;
  private users = 0;
  /** The total last sent to the agents (more than `users` once --rebalance moved a lost agent's share). */
  private sent = 0;
  private rate: {perSecond: number; maxUsers: number} | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly listeners = new Set<(workerId: number, text: string) => void>();
  private readonly finals = new Map<number, (snapshot: IntervalSnapshot | undefined) => void>();
  private probes: ((agent: number, probes: ReadonlyArray<WorkerProbe>) => void) | undefined;
  private onReady: (() => void) | undefined;
  private onFailed: ((error: Error) => void) | undefined;
  private stopping = false;
  private shipment: Shipment | undefined;
  private readonly chunks = new Map<string, Uint8Array>();
  /** Lost agents' last rows, for the engine's next interval (see markLost). */
  private readonly lostRows: IntervalSnapshot[] = [];

  constructor(private readonly options: NatsPoolOptions) {}

  get size(): number {
    return this.slotCount;
  }

  get live(): number {
    return this.agents.filter((a) => !a.lost && !a.stopped).length;
  }

  get stranded(): number {
    const lost = this.agents.filter((a) => a.lost);
    if (this.rate !== undefined || lost.length === 0 || (this.options.rebalance && lost.length < this.agents.length)) return 0;
    return lost.reduce((n, a) => n + a.slots.reduce((m, slot) => m + shareOf(this.sent, slot, this.slotCount), 0), 0);
  }

  get output(): OutputCounts {
    const sum = {lines: 0, bytes: 0, droppedBytes: 0};
    for (const a of this.agents) {
      sum.lines += a.output.lines;
      sum.bytes += a.output.bytes;
      sum.droppedBytes += a.output.droppedBytes;
    }
    return sum;
  }

  onOutput(listener: (workerId: number, text: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private down(message: Down, to?: number): void {
    if (!this.nc || this.nc.isClosed()) return;
    const subject = to === undefined ? SUBJECTS.down(this.runId) : SUBJECTS.downTo(this.runId, to);
    try {
      this.nc.publish(subject, encodeJson({...message, now: Date.now()}));
    } catch {
      // closing
    }
  }

  /** Enrols the agents, ships the workload, waits until each has loaded it, and starts them together. */
  async start(events: PoolEvents): Promise<void> {
    this.events = events;
    const o = this.options;
    const deadline = Date.now() + o.timeoutMs;
    this.nc = await connectNats(o.nats, `brink controller on ${os.hostname()}`);
    // Heartbeats from the first moment: an agent that joined finds a silent controller gone (its dead-man switch).
    this.timers.push(setInterval(() => this.down({type: 'heartbeat'}), HEARTBEAT_MS));
    this.nc.subscribe(SUBJECTS.up(this.runId), {callback: (_, msg) => this.onUp(msg.data)});
    if (o.workload.kind === 'scenario') {
      this.shipment = shipment(o.workload);
      for (const file of this.shipment.absolute)
        events.note('warning', `${file} is named by an absolute path: each agent reads it from its own disk (not sent)`);
      this.nc.subscribe(SUBJECTS.file(this.runId), {
        callback: (_, msg) => {
          const request = decodeJson<FileRequest>(msg.data);
          const bytes = request && this.shipment ? readChunk(this.shipment, request, this.chunks) : undefined;
          msg.respond(bytes ?? new Uint8Array(0));
        },
      });
    }
    try {
      await this.enrol(deadline);
      await this.load(Math.max(deadline, Date.now() + MIN_LOAD_MS));
    } catch (error) {
      this.down({type: 'abort', reason: (error as Error).message.split('\n')[0]});
      await this.close();
      throw error;
    }
    const at = Date.now() + START_DELAY_MS;
    this.down({type: 'start', at});
    await new Promise((resolve) => setTimeout(resolve, START_DELAY_MS));
    for (const a of this.agents) a.lastHeard = Math.max(a.lastHeard, Date.now());
    this.timers.push(setInterval(() => this.watch(), 250));
    const list = this.agents.map((a) => `${a.name} (${a.host}, ${a.workers} worker${a.workers === 1 ? '' : 's'})`).join(', ');
    events.note('info', `${this.agents.length} agent${this.agents.length === 1 ? '' : 's'} over ${shownUrl(o.nats.url)}: ${list}`);
  }

  /** Discovers idle agents and asks each to join, one at a time, until `expect` have. */
  private async enrol(deadline: number): Promise<void> {
    const o = this.options;
    const nc = this.nc!;
    const answered = new Map<string, string>();
    const asked = new Set<string>();
    const queue: AgentHello[] = [];
    let wake: (() => void) | undefined;
    const sub = nc.subscribe(SUBJECTS.hello, {
      callback: (_, msg) => {
        const hello = decodeJson<AgentHello>(msg.data);
        if (!hello || asked.has(hello.id)) return;
        const who = `${hello.name} (${hello.host})`;
        if (hello.protocol !== AGENT_PROTOCOL)
          answered.set(hello.id, `${who}: speaks agent protocol ${hello.protocol}, not ${AGENT_PROTOCOL}`);
        else if (hello.busy) answered.set(hello.id, `${who}: busy with another run`);
        else if (!queue.some((h) => h.id === hello.id)) {
          queue.push(hello);
          wake?.();
        }
      },
    });
    nc.publish(SUBJECTS.discover);
    // The agents there answer within milliseconds: gathered a moment, they are asked in the order of their names.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(250, deadline - Date.now()))));
    try {
      while (this.agents.length < o.expect) {
        queue.sort((a, b) => a.name.localeCompare(b.name, 'en', {numeric: true}));
        const hello = queue.shift();
        if (!hello) {
          const left = deadline - Date.now();
          if (left <= 0) break;
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, Math.min(left, 1000));
          });
          wake = undefined;
          // Agents announce every 2 s; asking again finds one that came up since.
          nc.publish(SUBJECTS.discover);
          continue;
        }
        asked.add(hello.id);
        const who = `${hello.name} (${hello.host})`;
        const index = this.agents.length;
        const name = this.uniqueName(hello.name);
        const join: JoinRequest = {
          type: 'join',
          protocol: AGENT_PROTOCOL,
          runId: this.runId,
          index,
          name,
          target: o.host,
          yes: o.yes,
          ...(o.workers !== undefined ? {workers: o.workers} : {}),
        };
        let reply: JoinReply | undefined;
        try {
          const msg = await nc.request(SUBJECTS.agent(hello.id), encodeJson(join), {timeout: 10_000});
          reply = decodeJson<JoinReply>(msg.data);
        } catch (error) {
          answered.set(hello.id, `${who}: did not answer the offer (${(error as Error).message})`);
          continue;
        }
        if (!reply?.ok) {
          answered.set(hello.id, `${who}: refused: ${reply?.reason ?? 'no answer'}`);
          continue;
        }
        answered.set(hello.id, `${who}: joined`);
        this.agents.push({
          index,
          id: hello.id,
          name,
          host: hello.host,
          workers: reply.workers,
          slots: [],
          lastHeard: Date.now(),
          ready: false,
          lost: false,
          stopped: false,
          spent: false,
          seen: new Set(),
          requests: 0,
          failures: 0,
          peakUsers: 0,
          lastUsers: 0,
          output: {lines: 0, bytes: 0, droppedBytes: 0},
        });
        if (o.version !== undefined && hello.brink !== o.version)
          this.events.note('warning', `agent ${name} runs brink ${hello.brink}, this controller ${o.version}`);
      }
    } finally {
      sub.unsubscribe();
    }
    if (this.agents.length < o.expect) {
      const who = [...answered.values()];
      throw new BrinkError(
        'BRINK_E_AGENTS',
        `${this.agents.length} of ${o.expect} agents joined within ${seconds(o.timeoutMs)} at ${shownUrl(o.nats.url)}; ` +
          (who.length === 0 ? 'no agent answered' : `answered: ${who.join('; ')}`),
      );
    }
  }

  private uniqueName(name: string): string {
    if (!this.agents.some((a) => a.name === name)) return name;
    let n = 2;
    while (this.agents.some((a) => a.name === `${name}#${n}`)) n++;
    return `${name}#${n}`;
  }

  /** Deals the slots, sends each agent its setup, and waits until every one has loaded the workload. */
  private async load(deadline: number): Promise<void> {
    const o = this.options;
    const dealt = dealSlots(this.agents.map((a) => a.workers));
    this.slotCount = dealt.flat().length;
    const maxPayload = this.nc!.info?.max_payload ?? 1 << 20;
    const chunkBytes = Math.max(4096, Math.min(512 << 10, maxPayload - 4096));
    const ready = new Promise<void>((resolve, reject) => {
      this.onReady = () => {
        if (this.agents.every((a) => a.ready)) resolve();
      };
      this.onFailed = reject;
    });
    for (const a of this.agents) {
      a.slots = dealt[a.index];
      const setup: RunSetup = {
        type: 'setup',
        workload: o.workload,
        host: o.host,
        timeoutMs: o.timeoutMsPerRequest ?? 30_000,
        maxBodyBytes: o.maxBodyBytes ?? 1 << 20,
        maxEndpoints: o.maxEndpoints ?? 200,
        insecure: o.insecure ?? false,
        ...(o.http2 ? {http2: true} : {}),
        taskTimeoutMs: o.taskTimeoutMs ?? 60_000,
        ...(o.maxRps !== undefined ? {maxRps: (o.maxRps * a.slots.length) / this.slotCount} : {}),
        slots: a.slots,
        slotCount: this.slotCount,
        files: this.shipment?.files ?? [],
        ...(this.shipment ? {bundle: this.shipment.bundle, scenarioFile: this.shipment.scenarioFile, selfEntry: selfEntryUrl()} : {}),
        chunkBytes,
        safety: {allowPublic: o.yes, ...(o.stripHeaders ? {stripHeaders: o.stripHeaders} : {})},
        ...(o.requests !== undefined ? {requests: requestShare(o.requests, a.slots, this.slotCount)} : {}),
      };
      this.down(setup, a.index);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      const check = () => {
        const silent = this.agents.find((a) => Date.now() - a.lastHeard > (o.lostAfterMs ?? 3000));
        if (silent) reject(new EngineError(`agent ${silent.name} (${silent.host}) stopped answering while it loaded the workload`));
        else if (Date.now() > deadline) {
          const waiting = this.agents.filter((a) => !a.ready).map((a) => a.name);
          reject(new EngineError(`agents ${waiting.join(', ')} did not load the workload in time`));
        } else timer = setTimeout(check, 250);
      };
      timer = setTimeout(check, 250);
    });
    try {
      await Promise.race([ready, late]);
    } finally {
      clearTimeout(timer);
      this.onReady = undefined;
      this.onFailed = undefined;
    }
  }

  private onUp(data: Uint8Array): void {
    const m = decodeJson<UpMessage>(data);
    const a = m ? this.agents[m.agent] : undefined;
    if (!m || !a || a.lost) return; // a lost agent's late words are not counted
    a.lastHeard = Date.now();
    switch (m.type) {
      case 'ready':
        a.ready = true;
        this.onReady?.();
        return;
      case 'failed':
        this.onFailed?.(new EngineError(`agent ${a.name} (${a.host}): ${m.message}`));
        return;
      case 'heartbeat':
        a.output = m.output;
        return;
      case 'snapshot':
        if (a.stopped || m.snapshot.seq < 0 || a.seen.has(m.snapshot.seq)) return;
        a.seen.add(m.snapshot.seq);
        if (a.seen.size > 64) a.seen.delete(Math.min(...a.seen));
        this.events.snapshot(this.counted(a, m.snapshot));
        return;
      case 'stopped':
        if (a.stopped) return;
        a.stopped = true;
        this.finals.get(a.index)?.(m.snapshot && this.counted(a, m.snapshot));
        return;
      case 'note':
        this.events.note(m.kind, `agent ${a.name}: ${m.text}`);
        return;
      case 'scriptError':
        this.events.scriptError(m.task, m.where, m.message);
        return;
      case 'output':
        for (const listener of this.listeners) listener(a.index, m.text);
        return;
      case 'probe':
        this.probes?.(a.index, m.probes);
        return;
      case 'leaving':
        this.markLost(a, `it left: ${m.reason}`);
        return;
      case 'spent':
        a.spent = true;
        this.checkSpent();
        return;
    }
  }

  /** The snapshot as the engine sees it: the agent's index as its worker id, and the controller's counts of it. */
  private counted(a: Enrolled, s: IntervalSnapshot): IntervalSnapshot {
    let requests = 0;
    let failures = s.health.dropped;
    for (const e of s.endpoints) {
      if (e.gaps) continue; // an event stream's gaps are not requests, as in the run's totals
      requests += e.requests;
      failures += e.failures;
    }
    a.requests += requests;
    a.failures += failures;
    a.peakUsers = Math.max(a.peakUsers, s.health.users);
    a.lastUsers = s.health.users;
    const seconds = Math.max(0.001, (s.at - s.from) / 1000);
    return {
      ...s,
      health: {
        ...s.health,
        workerId: a.index,
        agent: {
          name: a.name,
          host: a.host,
          workers: a.workers,
          cpuCores: s.health.agent?.cpuCores ?? 0,
          cores: s.health.agent?.cores ?? 0,
          requests: a.requests,
          failures: a.failures,
          rps: s.seq === -1 ? 0 : requests / seconds,
          peakUsers: a.peakUsers,
          lost: false,
        },
      },
    };
  }

  private watch(): void {
    if (this.stopping) return;
    const limit = this.options.lostAfterMs ?? 3000;
    for (const a of this.agents) {
      if (!a.lost && !a.stopped && Date.now() - a.lastHeard > limit) this.markLost(a, `no report for ${seconds(limit)}`);
    }
  }

  /** An agent is gone: said in the event log, its row marked lost, its users reassigned only with --rebalance. */
  /** -n: once every agent still here has sent its share, the run has sent all it will (a lost agent's share is not dealt again). */
  private checkSpent(): void {
    if (this.options.requests === undefined || this.toldSpent || !this.agents.every((x) => x.spent || x.lost)) return;
    this.toldSpent = true;
    this.events.spent?.();
  }

  private markLost(a: Enrolled, why: string): void {
    if (a.lost || a.stopped) return;
    a.lost = true;
    this.checkSpent();
    this.down({type: 'lost'}, a.index);
    if (this.stopping) {
      this.finals.get(a.index)?.(undefined);
      return;
    }
    // Closed model: the users it was asked to run (its slots' shares); open model: what it last reported.
    const users = this.rate ? a.lastUsers : a.slots.reduce((n, slot) => n + shareOf(this.sent, slot, this.slotCount), 0);
    const left = this.agents.filter((x) => !x.lost).length;
    const rebalance = this.options.rebalance && left > 0;
    const what = this.rate !== undefined ? `its share of the arrival rate (${users} users)` : `its ${users} users`;
    this.events.note(
      'warning',
      `agent ${a.name} lost (${why}): ${rebalance ? `${what} go to the ${left} other agent${left === 1 ? '' : 's'} (--rebalance)` : `${what} are not reassigned${this.options.rebalance ? '' : ' (--rebalance would)'}`}`,
    );
    const now = Date.now();
    // Its row stays, marked lost, with no users: the engine reads a seq -1 snapshot as a worker's last. It goes to the
    // engine with the next interval's request: by then the interval its last report joined is folded, so this one
    // comes after it (in the same fold, the report would set the users back).
    this.lostRows.push({
      seq: -1,
      from: now,
      at: now,
      endpoints: [],
      health: {
        workerId: a.index,
        elu: 0,
        users: 0,
        busyUsers: 0,
        stoppingUsers: 0,
        inFlight: 0,
        dropped: 0,
        startFailures: 0,
        endpointOverflow: false,
        agent: {
          name: a.name,
          host: a.host,
          workers: a.workers,
          cpuCores: 0,
          cores: 0,
          requests: a.requests,
          failures: a.failures,
          rps: 0,
          peakUsers: a.peakUsers,
          lost: true,
          lostWhy: why,
        },
      },
    });
    if (rebalance) {
      if (this.rate) this.setRate(this.rate.perSecond, this.rate.maxUsers);
      else this.setUsers(this.users);
    }
    if (left === 0) this.events.note('warning', 'every agent is lost: no load is being generated');
  }

  /** The live slots, when --rebalance moves the lost agents' share to them; undefined: every slot. */
  private liveSlots(): number[] | undefined {
    if (!this.options.rebalance || this.agents.every((a) => !a.lost)) return undefined;
    return this.agents.filter((a) => !a.lost).flatMap((a) => a.slots);
  }

  setUsers(total: number): void {
    this.users = total;
    this.rate = undefined;
    const live = this.liveSlots();
    this.sent = live && live.length > 0 ? rebalancedTotal(total, live, this.slotCount) : total;
    this.down({type: 'setUsers', total: this.sent});
  }

  setRate(perSecond: number, maxUsers: number): void {
    this.rate = {perSecond, maxUsers};
    const live = this.liveSlots();
    const scale = live && live.length > 0 ? this.slotCount / live.length : 1;
    this.down({type: 'setRate', perSecond: perSecond * scale, maxUsers: Math.ceil(maxUsers * scale)});
  }

  requestSnapshots(seq: number): void {
    for (const row of this.lostRows.splice(0)) this.events.snapshot(row);
    this.down({type: 'snapshot', seq});
  }

  async probe(timeoutMs: number): Promise<WorkerProbe[]> {
    const all: WorkerProbe[] = [];
    const from = new Set<number>();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.probes = (agent, probes) => {
        from.add(agent);
        all.push(...probes);
        if (from.size >= this.live) {
          clearTimeout(timer);
          resolve();
        }
      };
      this.down({type: 'probe'});
    });
    this.probes = undefined;
    return all;
  }

  async stop(graceMs: number): Promise<IntervalSnapshot[]> {
    this.stopping = true;
    const waiting = this.agents.filter((a) => !a.lost && !a.stopped);
    const finals = waiting.map(
      (a) =>
        new Promise<IntervalSnapshot | undefined>((resolve) => {
          this.finals.set(a.index, resolve);
          // Its workers get graceMs, and a second more to end (thread-pool.ts); then the network.
          setTimeout(() => resolve(undefined), graceMs + 3000).unref();
        }),
    );
    this.down({type: 'stop', graceMs});
    const snapshots = (await Promise.all(finals)).filter((s): s is IntervalSnapshot => s !== undefined);
    await this.close();
    return [...this.lostRows.splice(0), ...snapshots];
  }

  private async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    const nc = this.nc;
    if (!nc || nc.isClosed()) return;
    try {
      await nc.flush();
      await nc.close();
    } catch {
      // already gone
    }
  }
}

/** 3000 → `3 s`, 1500 → `1.5 s`. */
const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/** An agent's share of -n: what its slots would take if each slot took N / slots, the first ones the remainder. */
export function requestShare(requests: number, slots: ReadonlyArray<number>, slotCount: number): number {
  let share = 0;
  for (const s of slots) share += Math.floor(requests / slotCount) + (s < requests % slotCount ? 1 : 0);
  return share;
}
