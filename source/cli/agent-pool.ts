// The engine's pool for a run on agents (loaded only by such a run: the NATS client stays unloaded otherwise).
import {NatsPool} from '../engine/nats-pool.js';
import type {Workload} from '../protocol/messages.js';
import type {AgentsSpec} from './agent-flags.js';

/** What a run passes on to its agents. */
export interface AgentRun {
  readonly workload: Workload;
  readonly host: string;
  readonly yes: boolean;
  readonly workers?: number;
  readonly timeoutMs: number;
  readonly taskTimeoutMs: number;
  readonly insecure: boolean;
  readonly http2?: boolean;
  readonly maxRps?: number;
  readonly stripHeaders?: ReadonlyArray<string>;
  readonly requests?: number;
  readonly version: string;
}

/** The engine's pool for a run on agents. */
export function agentPool(agents: AgentsSpec, run: AgentRun): NatsPool {
  return new NatsPool({
    nats: agents.nats,
    expect: agents.expect,
    timeoutMs: agents.timeoutMs,
    rebalance: agents.rebalance,
    workload: run.workload,
    host: run.host,
    yes: run.yes,
    workers: run.workers,
    timeoutMsPerRequest: run.timeoutMs,
    taskTimeoutMs: run.taskTimeoutMs,
    insecure: run.insecure,
    http2: run.http2,
    maxRps: run.maxRps,
    stripHeaders: run.stripHeaders,
    requests: run.requests,
    version: run.version,
  });
}
