// `brink agent --nats nats://host:4222 [--name NAME] [--once]`: a load box. It reads its own command line
// (it is not a load command: no profile, no plan), then serves runs until a signal, or one run with --once.
import os from 'node:os';
import {UsageError} from '../kernel/errors.js';
import {Agent} from '../engine/agents/agent.js';
import {readCommandLine} from './command-line.js';
import {FlagValues} from './flag-values.js';
import {natsSettings} from './agent-flags.js';
import {guardTarget} from './target-guard.js';
import {defaultWorkers} from './default-workers.js';
import {onInterrupt} from './interrupts.js';
import {int} from './values.js';

export async function agentCommand(argv: ReadonlyArray<string>, version: string): Promise<number> {
  const line = readCommandLine(argv);
  const f = new FlagValues(line.uses, 'agent');
  if (line.positionals.length > 1) throw new UsageError(`unexpected argument '${line.positionals[1]}': brink agent takes flags only`);
  const url = f.string('nats') ?? (process.env.BRINK_NATS || undefined);
  if (url === undefined) throw new UsageError('brink agent needs the NATS server to join: brink agent --nats nats://<host>:4222');
  const name = f.string('name')?.trim() || os.hostname();
  const agent = new Agent({
    nats: natsSettings(f, url, '--nats'),
    name,
    workers: f.has('workers') ? int(f.string('workers')!, '--workers', 1) : undefined,
    once: f.bool('once'),
    version,
    // The target guard applies here too: this machine's own lookup of the target, the controller's --yes.
    prepare: async (target, yes, workers) => {
      await guardTarget(target, yes, false);
      return workers ?? (await defaultWorkers(target)).workers;
    },
    log: (text) => process.stderr.write(`brink agent: ${text}\n`),
  });
  // Before start(): a signal while the server is not reached yet stops the agent too.
  const detach = onInterrupt(() => void agent.close(0, 'the agent was stopped by a signal'));
  try {
    await Promise.race([agent.start(), agent.done]);
    return await agent.done;
  } finally {
    detach();
  }
}
