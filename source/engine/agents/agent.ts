// `brink agent`: joins a NATS server (dialling out, so it works behind NAT and firewalls), announces itself,
// and runs the load of whichever controller enrols it, on worker threads of its own (a ThreadPool). Each
// interval it merges its workers' snapshots into one (HDR adds exactly) and sends it up. Its main thread
// carries no load: it heartbeats, relays, and watches the controller. A controller silent for 3 s (dead, or
// the network between them gone) stops the load: the dead-man switch.
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {performance} from 'node:perf_hooks';
import {
  AGENT_PROTOCOL,
  SUBJECTS,
  type AgentHello,
  type DownMessage,
  type JoinReply,
  type JoinRequest,
  type RunSetup,
  type UpMessage,
} from '../../protocol/agents.js';
import type {IntervalSnapshot, WorkerHealth} from '../../protocol/snapshot.js';
import type {Workload} from '../../protocol/messages.js';
import {selfEntryUrl} from '../../kernel/spawn-worker.js';
import {ThreadPool} from '../thread-pool.js';
import {mergeHealth, mergeSnapshots} from './merge.js';
import {inside, receiveFiles, relinkBundle} from './files.js';
import {connectNats, decodeJson, encodeJson, shownUrl, type NatsConnection, type NatsSettings, type Subscription} from './nats.js';

export interface AgentOptions {
  readonly nats: NatsSettings;
  readonly name: string;
  /** Worker threads (brink agent --workers); undefined: `prepare` decides for each run. */
  readonly workers?: number;
  /** Exit after one run. */
  readonly once: boolean;
  readonly version: string;
  /**
   * Before it accepts a run: the target guard (throws, its message the reason, to refuse) and how many workers
   * to run (`workers`: what the controller or --workers asked for).
   */
  prepare(target: string, yes: boolean, workers: number | undefined): Promise<number>;
  log(line: string): void;
  /** A controller silent this long is gone (default 3000 ms). */
  readonly deadManMs?: number;
}

const HELLO_EVERY_MS = 2000;
const HEARTBEAT_MS = 500;
/** The longest an agent waits for its workers' snapshots of an interval before sending what it has. */
const COLLECT_MS = 300;
/** Console output relayed a flush (4 a second); the rest is counted as dropped. */
const OUTPUT_FLUSH_BYTES = 16 << 10;

/** How a run ended for this agent: `done` is the only good end. */
export type RunOutcome = 'done' | 'failed' | 'aborted' | 'lost' | 'controller-lost' | 'signal';

/** Between attempts at a NATS server not reached yet. */
const RETRY_EVERY_MS = 1000;
/** Errors that say the server is not there (yet): the agent keeps trying. */
const UNREACHABLE = /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|ECONNRESET|refused|timeout/i;
/** Errors that trying again would not mend. */
const CREDENTIALS = /authori[sz]ation|authentication|certificate|tls|ssl/i;

export class Agent {
  readonly id = randomBytes(8).toString('hex');
  private nc!: NatsConnection;
  private run: AgentRun | undefined;
  /** Reserved between accepting a join and the run's subscription (a second offer meanwhile is refused). */
  private joining = false;
  private helloTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Ends the wait between two attempts at reaching the server (close() while it was never reached). */
  private wake: () => void = () => {};
  private finish!: (code: number) => void;
  readonly done = new Promise<number>((resolve) => {
    this.finish = resolve;
  });

  constructor(readonly options: AgentOptions) {}

  /** Connects and waits for runs; `done` resolves with the exit code (after one run with --once, or on close). */
  async start(): Promise<void> {
    const o = this.options;
    // An agent outlives its server's restarts, and waits for a server not up yet (a box booting before it): it keeps
    // trying, as a service should, saying so now and then, and a signal still stops it. Refused credentials or a
    // TLS failure end it at once: trying again would not change them.
    o.log(`agent ${o.name} on ${os.hostname()}: connecting to ${shownUrl(o.nats.url)}`);
    for (let attempt = 1; ; attempt++) {
      try {
        const nc = await connectNats(o.nats, `brink-agent ${o.name}`, {maxReconnectAttempts: -1, reconnectTimeWait: 1000});
        if (this.closed) return void (await nc.close().catch(() => {}));
        this.nc = nc;
        break;
      } catch (error) {
        const message = (error as Error)?.message ?? String(error);
        if (!UNREACHABLE.test(message) || CREDENTIALS.test(message)) throw error;
        if (attempt === 1 || attempt % 30 === 0) o.log(`${message}: trying again every second (attempt ${attempt})`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, RETRY_EVERY_MS);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        if (this.closed) return;
      }
    }
    void this.watchConnection();
    this.nc.subscribe(SUBJECTS.discover, {callback: () => this.hello()});
    this.nc.subscribe(SUBJECTS.agent(this.id), {callback: (_, msg) => void this.onJoin(msg.data, (r) => msg.respond(encodeJson(r)))});
    this.helloTimer = setInterval(() => this.hello(), HELLO_EVERY_MS);
    this.hello();
    o.log(`agent ${o.name} on ${os.hostname()}: connected to ${shownUrl(o.nats.url)}, waiting for a run`);
  }

  /** Says when the server goes away and comes back (the run's dead-man switch acts on a long absence). */
  private async watchConnection(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === 'disconnect') this.options.log(`lost the NATS server at ${shownUrl(this.options.nats.url)}: reconnecting`);
      else if (status.type === 'reconnect') {
        this.options.log('reconnected');
        this.hello();
      }
    }
  }

  private hello(): void {
    if (this.closed) return;
    const o = this.options;
    const hello: AgentHello = {
      protocol: AGENT_PROTOCOL,
      brink: o.version,
      id: this.id,
      name: o.name,
      host: os.hostname(),
      cores: os.availableParallelism(),
      ...(o.workers !== undefined ? {workers: o.workers} : {}),
      busy: this.run !== undefined || this.joining,
    };
    this.nc.publish(SUBJECTS.hello, encodeJson(hello));
  }

  private async onJoin(data: Uint8Array, respond: (reply: JoinReply) => void): Promise<void> {
    const join = decodeJson<JoinRequest>(data);
    if (!join || join.type !== 'join') return respond({ok: false, reason: 'not a join request'});
    if (join.protocol !== AGENT_PROTOCOL)
      return respond({ok: false, reason: `speaks agent protocol ${AGENT_PROTOCOL}, not ${join.protocol} (brink ${this.options.version})`});
    if (this.closed || this.run || this.joining) return respond({ok: false, reason: 'busy with another run'});
    this.joining = true;
    try {
      const workers = await this.options.prepare(join.target, join.yes, join.workers ?? this.options.workers);
      if (this.closed) return respond({ok: false, reason: 'shutting down'});
      this.run = new AgentRun(this, this.nc, join, workers);
      // Subscribed before the answer: the controller sends the setup as soon as it hears it.
      await this.nc.flush();
      respond({ok: true, workers});
      this.options.log(`run ${join.runId}: joined as ${join.name} for ${join.target}, ${workers} worker${workers === 1 ? '' : 's'}`);
      void this.run.ended.then((outcome) => this.ended(outcome));
    } catch (error) {
      respond({ok: false, reason: String((error as Error)?.message ?? error).split('\n')[0]});
    } finally {
      this.joining = false;
      this.hello();
    }
  }

  private ended(outcome: RunOutcome): void {
    this.run = undefined;
    this.options.log(`run ended: ${outcome === 'done' ? 'done' : outcome}`);
    if (this.options.once || this.closed) void this.close(outcome === 'done' ? 0 : 1);
    else this.hello();
  }

  /** Leaves: stops a run under way (telling its controller), then closes the connection. */
  async close(code = 0, reason?: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake();
    clearInterval(this.helloTimer);
    if (this.run && reason) await this.run.leave(reason);
    try {
      await this.nc?.drain();
    } catch {
      // already closed
    }
    this.finish(code);
  }
}

/** One run on this agent: its subscriptions, its worker pool, its interval snapshots. */
class AgentRun {
  private readonly subs: Subscription[] = [];
  private pool: ThreadPool | undefined;
  private dir: string | undefined;
  private lastHeard = Date.now();
  /** The controller's clock minus ours (the largest of recent samples: a message's transit only lowers one). */
  private shifts: number[] = [];
  private startAt: number | undefined;
  /** Each worker's latest health, by its slot. */
  private readonly latest = new Map<number, WorkerHealth>();
  /** Each worker's latest count of open WebSockets and event streams, by its slot; empty until one opens any. */
  private readonly socketsOpen = new Map<number, number>();
  private readonly pending = new Map<number, IntervalSnapshot[]>();
  private late: IntervalSnapshot[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private cpu = process.cpuUsage();
  private cpuAt = performance.now();
  private cpuCores = 0;
  private output = '';
  private outputDropped = 0;
  private stopping = false;
  private settle!: (outcome: RunOutcome) => void;
  readonly ended = new Promise<RunOutcome>((resolve) => {
    this.settle = resolve;
  });
  private over = false;
  readonly index: number;
  readonly runId: string;

  constructor(
    private readonly agent: Agent,
    private readonly nc: NatsConnection,
    private readonly join: JoinRequest,
    private readonly workers: number,
  ) {
    this.index = join.index;
    this.runId = join.runId;
    const onDown = (data: Uint8Array) => {
      const m = decodeJson<DownMessage>(data);
      if (m) void this.onDown(m);
    };
    this.subs.push(nc.subscribe(SUBJECTS.down(join.runId), {callback: (_, msg) => onDown(msg.data)}));
    this.subs.push(nc.subscribe(SUBJECTS.downTo(join.runId, join.index), {callback: (_, msg) => onDown(msg.data)}));
    this.timers.push(setInterval(() => this.heartbeat(), HEARTBEAT_MS));
    const deadManMs = agent.options.deadManMs ?? 3000;
    this.timers.push(
      setInterval(() => {
        const silent = Date.now() - this.lastHeard;
        if (silent < deadManMs || this.over) return;
        this.log(`the controller is silent for ${(silent / 1000).toFixed(1)} s: stopping the load (dead-man switch)`);
        void this.end('controller-lost', 500);
      }, 250),
    );
    this.timers.push(setInterval(() => this.flushOutput(), 250));
  }

  private log(line: string): void {
    this.agent.options.log(`run ${this.runId}: ${line}`);
  }

  private send(message: UpMessage): void {
    if (this.over && message.type !== 'stopped' && message.type !== 'leaving') return;
    try {
      this.nc.publish(SUBJECTS.up(this.runId), encodeJson(message));
    } catch {
      // the connection is closing: the controller will find this agent silent
    }
  }

  private get shift(): number {
    return this.shifts.length === 0 ? 0 : Math.max(...this.shifts);
  }

  private async onDown(m: DownMessage): Promise<void> {
    if (this.over) return;
    this.lastHeard = Date.now();
    this.shifts.push(m.now - Date.now());
    if (this.shifts.length > 20) this.shifts.shift();
    switch (m.type) {
      case 'setup':
        return this.setup(m);
      case 'start':
        this.startAt = m.at - this.shift;
        return;
      case 'setUsers':
        return this.pool?.setUsers(m.total);
      case 'setRate':
        return this.pool?.setRate(m.perSecond, m.maxUsers);
      case 'snapshot':
        return this.collect(m.seq);
      case 'stop':
        return this.stop(m.graceMs);
      case 'probe': {
        const probes = (await this.pool?.probe(2000)) ?? [];
        return this.send({type: 'probe', agent: this.index, probes});
      }
      case 'abort':
        this.log(`aborted by the controller: ${m.reason}`);
        return this.end('aborted', 0);
      case 'lost':
        this.log('the controller marked this agent lost (it did not hear it for 3 s): stopping the load');
        return this.end('lost', 0);
      case 'heartbeat':
        return;
    }
  }

  private async setup(setup: RunSetup): Promise<void> {
    try {
      const workload = await this.materialize(setup);
      const pool = new ThreadPool({
        workload,
        host: setup.host,
        workers: this.workers,
        timeoutMs: setup.timeoutMs,
        maxBodyBytes: setup.maxBodyBytes,
        maxEndpoints: setup.maxEndpoints,
        insecure: setup.insecure,
        ...(setup.http2 ? {http2: true} : {}),
        taskTimeoutMs: setup.taskTimeoutMs,
        maxRps: setup.maxRps,
        slots: {ids: setup.slots, count: setup.slotCount},
        safety: setup.safety,
        requests: setup.requests,
      });
      pool.onOutput((_, text) => {
        if (this.output.length < OUTPUT_FLUSH_BYTES) this.output += text;
        else this.outputDropped += text.length;
      });
      await pool.start({
        snapshot: (snapshot) => this.onWorkerSnapshot(snapshot),
        note: (kind, text) => this.send({type: 'note', agent: this.index, kind, text}),
        scriptError: (task, where, message) => this.send({type: 'scriptError', agent: this.index, task, where, message}),
        spent: () => this.send({type: 'spent', agent: this.index}),
      });
      if (this.over) {
        await pool.stop(0);
        return;
      }
      this.pool = pool;
      this.cpu = process.cpuUsage();
      this.cpuAt = performance.now();
      this.send({type: 'ready', agent: this.index, workers: this.workers});
      this.log(`ready: ${this.workers} worker${this.workers === 1 ? '' : 's'}, slots ${setup.slots.join(',')} of ${setup.slotCount}`);
    } catch (error) {
      const message = String((error as Error)?.message ?? error);
      this.send({type: 'failed', agent: this.index, message});
      this.log(`could not start: ${message.split('\n')[0]}`);
      await this.end('failed', 0);
    }
  }

  /** The workload as this machine runs it: a scenario's files fetched into a directory of the run's own. */
  private async materialize(setup: RunSetup): Promise<Workload> {
    if (setup.workload.kind !== 'scenario') return setup.workload;
    const dir = (this.dir = mkdtempSync(join(os.tmpdir(), 'brink-agent-')));
    await receiveFiles(dir, setup.files, setup.chunkBytes, async (request) => {
      const reply = await this.nc.request(SUBJECTS.file(this.runId), encodeJson(request), {timeout: 10_000});
      return reply.data;
    });
    const bundle = inside(dir, setup.bundle ?? 'scenario.mjs');
    relinkBundle(bundle, setup.selfEntry, selfEntryUrl());
    return {kind: 'scenario', bundleUrl: pathToFileURL(bundle).href, scenarioFile: inside(dir, setup.scenarioFile ?? 'd/scenario.ts')};
  }

  private onWorkerSnapshot(snapshot: IntervalSnapshot): void {
    const h = snapshot.health;
    // A worker's last snapshot (seq -1, it died): its users are gone from it until its replacement reports.
    this.latest.set(h.workerId, snapshot.seq === -1 ? {...h, users: 0, busyUsers: 0, inFlight: 0, stoppingUsers: 0} : h);
    if (snapshot.sockets) this.socketsOpen.set(h.workerId, snapshot.seq === -1 ? 0 : snapshot.sockets.open);
    else if (snapshot.seq === -1 && this.socketsOpen.has(h.workerId)) this.socketsOpen.set(h.workerId, 0);
    const bucket = this.pending.get(snapshot.seq);
    if (!bucket) {
      this.late.push(snapshot);
      return;
    }
    bucket.push(snapshot);
    if (bucket.length >= (this.pool?.live ?? 0)) this.close(snapshot.seq);
  }

  private collect(seq: number): void {
    if (!this.pool || this.stopping || this.pending.has(seq)) return; // a duplicate request is answered once
    this.pending.set(seq, []);
    this.pool.requestSnapshots(seq);
    setTimeout(() => this.close(seq), COLLECT_MS).unref();
  }

  /** Sends interval `seq`: what its workers answered, with whatever came late since the last one. */
  private close(seq: number): void {
    const bucket = this.pending.get(seq);
    if (!bucket || this.over) return;
    this.pending.delete(seq);
    const all = [...this.late, ...bucket];
    this.late = [];
    this.send({type: 'snapshot', agent: this.index, snapshot: this.merge(seq, all)});
  }

  private merge(seq: number, snapshots: ReadonlyArray<IntervalSnapshot>, users?: number): IntervalSnapshot {
    this.measureCpu();
    const health = mergeHealth(this.index, [...this.latest.values()], snapshots, users);
    return mergeSnapshots(snapshots, {
      seq,
      shift: this.shift,
      notBefore: this.startAt,
      ...(this.socketsOpen.size > 0 ? {socketsOpen: [...this.socketsOpen.values()].reduce((n, open) => n + open, 0)} : {}),
      health: {
        ...health,
        agent: {
          name: this.join.name,
          host: os.hostname(),
          workers: this.workers,
          cpuCores: this.cpuCores,
          cores: os.availableParallelism(),
          // The controller counts these from what it receives.
          requests: 0,
          failures: 0,
          rps: 0,
          peakUsers: 0,
          lost: false,
        },
      },
    });
  }

  private measureCpu(): void {
    const now = performance.now();
    if (now - this.cpuAt < 200) return;
    const used = process.cpuUsage(this.cpu);
    this.cpuCores = (used.user + used.system) / 1000 / (now - this.cpuAt);
    this.cpu = process.cpuUsage();
    this.cpuAt = now;
  }

  private heartbeat(): void {
    this.measureCpu();
    const output = this.pool?.output ?? {lines: 0, bytes: 0, droppedBytes: 0};
    this.send({
      type: 'heartbeat',
      agent: this.index,
      cpuCores: this.cpuCores,
      cores: os.availableParallelism(),
      output: {...output, droppedBytes: output.droppedBytes + this.outputDropped},
    });
  }

  private flushOutput(): void {
    if (this.output === '') return;
    this.send({type: 'output', agent: this.index, text: this.output});
    this.output = '';
  }

  /** The controller's stop: every worker stops (each user finishes its request), then the last snapshot goes up. */
  private async stop(graceMs: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const pool = this.pool;
    if (!pool) {
      this.send({type: 'stopped', agent: this.index});
      await this.end('done', 0);
      return;
    }
    const finals = await pool.stop(graceMs);
    for (const f of finals) this.latest.set(f.health.workerId, f.health);
    // Intervals asked for and not yet sent, and late answers, go with the finals: nothing measured is left behind.
    const rest = [...this.late, ...[...this.pending.values()].flat(), ...finals];
    this.pending.clear();
    this.late = [];
    const users = finals.reduce((n, f) => n + f.health.users, 0);
    this.flushOutput();
    this.send({type: 'stopped', agent: this.index, snapshot: this.merge(-1, rest, users)});
    this.log(`stopped`);
    await this.end('done', 0);
  }

  /** Going away mid-run (a signal): the controller is told, so it marks this agent lost at once. */
  async leave(reason: string): Promise<void> {
    this.send({type: 'leaving', agent: this.index, reason});
    await this.end('signal', 1000);
  }

  /** Ends the run here: stops the workers (within `graceMs`), unsubscribes, removes the run's files. */
  private async end(outcome: RunOutcome, graceMs: number): Promise<void> {
    if (this.over) return;
    this.over = true;
    for (const t of this.timers) clearInterval(t);
    for (const s of this.subs) s.unsubscribe();
    const pool = this.pool;
    this.pool = undefined;
    if (pool && outcome !== 'done') await pool.stop(graceMs).catch(() => []);
    if (this.dir) rmSync(this.dir, {recursive: true, force: true});
    try {
      await this.nc.flush();
    } catch {
      // closed
    }
    this.settle(outcome);
  }
}
