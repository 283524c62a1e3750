// The flags of a run over many machines (--agents, --expect-agents, --agent-timeout, --rebalance) and of the
// NATS connection (--nats-creds, --nats-token, --nats-tls-ca), read into what the engine's NatsPool takes.
import {existsSync} from 'node:fs';
import {UsageError} from '../kernel/errors.js';
import {checkNatsUrl, type NatsSettings} from '../engine/agents/nats.js';
import type {FlagValues} from './flag-values.js';
import {duration, int} from './values.js';

export interface AgentsSpec {
  readonly nats: NatsSettings;
  readonly expect: number;
  readonly timeoutMs: number;
  readonly rebalance: boolean;
}

/** A NATS server's URL and credentials from the flags (the token also from BRINK_NATS_TOKEN). */
export function natsSettings(f: FlagValues, url: string, flag: string, env: NodeJS.ProcessEnv = process.env): NatsSettings {
  const wrong = checkNatsUrl(url);
  if (wrong) throw new UsageError(`${flag}: ${wrong}`, 'BRINK_E_FLAG_VALUE');
  const file = (name: 'natsCreds' | 'natsTlsCa', shown: string) => {
    const path = f.string(name);
    if (path === undefined) return undefined;
    if (!existsSync(path)) throw new UsageError(`${shown}: no such file ${path}`, 'BRINK_E_FLAG_VALUE');
    return path;
  };
  const token = f.string('natsToken') ?? (env.BRINK_NATS_TOKEN || undefined);
  const creds = file('natsCreds', '--nats-creds');
  const tlsCa = file('natsTlsCa', '--nats-tls-ca');
  return {url, ...(creds ? {creds} : {}), ...(token ? {token} : {}), ...(tlsCa ? {tlsCa} : {})};
}

/** --agents and its companions; undefined without --agents (its companions then do nothing, as from a profile). */
export function agentsFromFlags(f: FlagValues): AgentsSpec | undefined {
  const url = f.string('agents');
  if (url === undefined) return undefined;
  return {
    nats: natsSettings(f, url, '--agents'),
    expect: int(f.or('expectAgents'), '--expect-agents', 1),
    timeoutMs: duration(f.or('agentTimeout'), '--agent-timeout'),
    rebalance: f.bool('rebalance'),
  };
}
