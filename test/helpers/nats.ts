// A real nats-server (Debian's, or the official binary on PATH) on loopback, on a port of its own, and brink
// agents as separate processes joined to it: what the agents' tests and the bench run on.
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {BIN} from '../cli/run-cli.js';

/** The nats-server binary, or undefined when none is installed (the tests that need one are skipped). */
export function natsServerBin(): string | undefined {
  if (existsSync('/usr/sbin/nats-server')) return '/usr/sbin/nats-server';
  const found = spawnSync('sh', ['-c', 'command -v nats-server'], {encoding: 'utf8'});
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : undefined;
}

export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  close(): Promise<void>;
}

/**
 * Starts nats-server listening on `host` (loopback by default) on a port it picks (-p -1), read from its log.
 * `prefix`: a command to run it under (`ip netns exec ns`).
 */
export function startNats(options: {host?: string; args?: string[]; prefix?: string[]} = {}): Promise<NatsServer> {
  const bin = natsServerBin();
  if (!bin) throw new Error('nats-server is not installed');
  const host = options.host ?? '127.0.0.1';
  const argv = [...(options.prefix ?? []), bin, '-a', host, '-p', '-1', ...(options.args ?? [])];
  const child = spawn(argv[0], argv.slice(1), {stdio: ['ignore', 'pipe', 'pipe']});
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nats-server did not start:\n${log}`));
    }, 10_000);
    const read = (d: Buffer) => {
      log += d;
      const m = /Listening for client connections on (\S+):(\d+)/.exec(log);
      if (!m) return;
      clearTimeout(timer);
      const port = Number(m[2]);
      resolve({
        url: `nats://${host.includes(':') ? `[${host}]` : host}:${port}`,
        port,
        child,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited (${code}):\n${log}`));
    });
  });
}

export interface AgentProcess {
  readonly child: ChildProcess;
  readonly name: string;
  /** What it printed so far (stderr: its log lines). */
  log(): string;
  /** Resolves with its exit code (or the signal) once it ends. */
  readonly exited: Promise<number | string>;
  /** Resolves once `pattern` shows in its log (rejects after `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
}

const CONFIG_DIR = mkdtempSync(join(tmpdir(), 'brink-config-'));

/** `brink agent --nats url --name name …` as a process of its own; resolves once it waits for a run. */
export async function startAgent(
  url: string,
  name: string,
  args: string[] = [],
  options: {prefix?: string[]; env?: NodeJS.ProcessEnv; waitForRun?: boolean} = {},
): Promise<AgentProcess> {
  const argv = [...(options.prefix ?? []), process.execPath, BIN, 'agent', '--nats', url, '--name', name, ...args];
  const child = spawn(argv[0], argv.slice(1), {
    env: {...process.env, NO_COLOR: '1', BRINK_CONFIG_DIR: CONFIG_DIR, ...options.env},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer) => {
    text += d;
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const agent: AgentProcess = {
    child,
    name,
    log: () => text,
    exited,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    waitFor: (pattern, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`agent ${name}: no ${pattern} within ${timeoutMs} ms:\n${text}`)), timeoutMs);
        const check = () => {
          if (pattern.test(text)) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
        void exited.then(() => {
          if (!pattern.test(text)) {
            clearTimeout(timer);
            reject(new Error(`agent ${name} exited before ${pattern}:\n${text}`));
          }
        });
      }),
  };
  if (options.waitForRun !== false) await agent.waitFor(/waiting for a run/);
  return agent;
}
