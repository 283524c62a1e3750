// Messages between a controller (a load command given --agents) and brink agents, over NATS. Plain JSON, as
// the worker messages are: a snapshot crosses the network as it crosses a thread (histograms as compressed
// base64 HDR). Subjects:
//
//   brink.agents.hello             agent → all     "I am here" (every 2 s while idle, and at once on discover)
//   brink.agents.discover          controller → all agents answer with a hello
//   brink.agent.<agentId>          controller → one agent: join (request/reply), the run's offer
//   brink.run.<runId>.down         controller → the run's agents: control (users, rate, snapshots, stop, heartbeat)
//   brink.run.<runId>.down.<i>     controller → agent i: its setup, or "you are lost"
//   brink.run.<runId>.up           agents → controller: ready, snapshots, heartbeats, notes, output, stopped
//   brink.run.<runId>.file         agent → controller: a chunk of a shipped file (request/reply, raw bytes back)
import type {ControlMessage, RequestSafety, WorkerProbe, Workload} from './messages.js';
import type {IntervalSnapshot} from './snapshot.js';

/** Bumped when a message changes shape: a controller only enrols agents that speak its version. */
export const AGENT_PROTOCOL = 1;

export const SUBJECTS = {
  hello: 'brink.agents.hello',
  discover: 'brink.agents.discover',
  agent: (agentId: string) => `brink.agent.${agentId}`,
  down: (runId: string) => `brink.run.${runId}.down`,
  downTo: (runId: string, index: number) => `brink.run.${runId}.down.${index}`,
  up: (runId: string) => `brink.run.${runId}.up`,
  file: (runId: string) => `brink.run.${runId}.file`,
} as const;

/** An agent's announcement. */
export interface AgentHello {
  readonly protocol: number;
  readonly brink: string;
  /** Random, new each time the agent starts: where the controller sends its offer. */
  readonly id: string;
  readonly name: string;
  /** The machine's host name. */
  readonly host: string;
  readonly cores: number;
  /** Worker threads it was told to run (brink agent --workers); undefined: it decides per run. */
  readonly workers?: number;
  /** In a run already (a controller does not enrol it). */
  readonly busy: boolean;
}

/** The offer (request to brink.agent.<id>). The agent answers with a JoinReply, and subscribes to the run first. */
export interface JoinRequest {
  readonly type: 'join';
  readonly protocol: number;
  readonly runId: string;
  /** Its place in the run (0-based): its snapshots' health.workerId. */
  readonly index: number;
  /** The name the run calls it (its own, made unique among the run's agents). */
  readonly name: string;
  readonly target: string;
  /** The controller was told --yes: the agent's target guard lets a public host through. */
  readonly yes: boolean;
  /** Worker threads it must run (the controller's --workers); undefined: its own choice. */
  readonly workers?: number;
}

export type JoinReply = {readonly ok: true; readonly workers: number} | {readonly ok: false; readonly reason: string};

/** A file the agent fetches before it loads the workload (by chunks: NATS caps a message's size). */
export interface ShippedFile {
  /** Where it goes, relative to the agent's run directory. */
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/** Everything an agent needs to load its share of the run (sent to brink.run.<id>.down.<i>). */
export interface RunSetup {
  readonly type: 'setup';
  /** The workload; a scenario's bundleUrl and scenarioFile are rewritten by the agent to where it put the files. */
  readonly workload: Workload;
  readonly host: string;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  readonly maxEndpoints: number;
  readonly insecure: boolean;
  /** --http2: h2 by ALPN (h2c over http://), every request through undici. */
  readonly http2?: boolean;
  readonly taskTimeoutMs: number;
  /** This agent's share of --max-rps. */
  readonly maxRps?: number;
  /** The run-wide slot (WorkerInit.workerId) of each of its workers, and the slots of the whole run (workerCount). */
  readonly slots: ReadonlyArray<number>;
  readonly slotCount: number;
  /** Scenario runs: the bundle, then the data files, and where each goes. */
  readonly files: ReadonlyArray<ShippedFile>;
  /** The bundle's path among `files`, the scenario file's path (its directory is where csv() paths start). */
  readonly bundle?: string;
  readonly scenarioFile?: string;
  /** The `brink` import the bundle names (the controller's own package): the agent points it at its own. */
  readonly selfEntry?: string;
  /** The largest chunk to ask for. */
  readonly chunkBytes: number;
  /** --yes (or a yes at the question) and --strip-header, for every request its workers send. */
  readonly safety?: RequestSafety;
  /** Quick mode's -n: this agent's share of the requests to send. */
  readonly requests?: number;
}

/** A chunk request on brink.run.<id>.file; the answer is the bytes (empty past the end, or an error text as JSON). */
export interface FileRequest {
  readonly path: string;
  readonly offset: number;
  readonly length: number;
}

/** Controller → agents of the run. `now` is the controller's clock (epoch ms): agents correct their timestamps by it. */
export type DownMessage = (
  | ControlMessage
  | {readonly type: 'heartbeat'}
  /** The ready barrier passed: every agent's interval starts at `at` (the controller's clock). */
  | {readonly type: 'start'; readonly at: number}
  /** The run ended before it started (another agent failed to load, or not enough joined): clean up. */
  | {readonly type: 'abort'; readonly reason: string}
  /** To one agent: it was marked lost (it stopped reporting): its load must stop. */
  | {readonly type: 'lost'}
  | RunSetup
) & {readonly now: number};

export interface AgentFigures {
  /** The agent process's CPU over the interval, in cores, and its machine's cores. */
  readonly cpuCores: number;
  readonly cores: number;
  /** Its workers' console output, counted. */
  readonly output: {readonly lines: number; readonly bytes: number; readonly droppedBytes: number};
}

/** Agent → controller. */
export type UpMessage = {readonly agent: number} & (
  | {readonly type: 'ready'; readonly workers: number}
  | {readonly type: 'failed'; readonly message: string}
  | ({readonly type: 'heartbeat'} & AgentFigures)
  /** One snapshot a seq: its workers' merged (HDR adds exactly); seq -1 is never sent here. */
  | {readonly type: 'snapshot'; readonly snapshot: IntervalSnapshot}
  /** The answer to stop: what it measured since its last snapshot. */
  | {readonly type: 'stopped'; readonly snapshot?: IntervalSnapshot}
  | {readonly type: 'note'; readonly kind: 'info' | 'warning'; readonly text: string}
  | {readonly type: 'scriptError'; readonly task: string; readonly where?: string; readonly message: string}
  | {readonly type: 'output'; readonly text: string}
  | {readonly type: 'probe'; readonly probes: ReadonlyArray<WorkerProbe>}
  /** It is going away (a signal): mark it lost now rather than after the silence. */
  | {readonly type: 'leaving'; readonly reason: string}
  /** Its share of -n has been sent, and every request of it has ended. */
  | {readonly type: 'spent'}
);
