// Runs the built CLI as a user would (node bin/brink.js …), capturing output and exit code.
import {spawn, type ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {checkWrittenSummaries} from '../helpers/summary-check.js';

export const BIN = fileURLToPath(new URL('../../bin/brink.js', import.meta.url));
/** An empty config dir: a developer's own saved profiles and defaults must not change test results. */
const CONFIG_DIR = mkdtempSync(join(tmpdir(), 'brink-config-'));

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): {child: ChildProcess; result: Promise<CliResult>} {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {...process.env, NO_COLOR: '1', BRINK_CONFIG_DIR: CONFIG_DIR, ...env},
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  // Every summary a run writes must add up (its steps to its totals), whatever the test checks besides.
  const result = new Promise<CliResult>((resolve, reject) =>
    child.on('close', (code, signal) => {
      try {
        checkWrittenSummaries(args);
        resolve({code, signal, stdout, stderr});
      } catch (error) {
        reject(error);
      }
    }),
  );
  return {child, result};
}

export function runCli(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult> {
  return startCli(args, env).result;
}

/** A user-facing error as brink prints it: `brink: <message> (<code>)`, then `  hint: <hint>`, and nothing else. */
export interface PrintedError {
  readonly message: string;
  readonly code: string;
  readonly hint: string;
}

/** Reads stderr as exactly one printed error; throws (failing the test) when it is anything else. */
export function printedError(stderr: string): PrintedError {
  const m = /^brink: (.*) \((BRINK_E_[A-Z_]+)\)\n {2}hint: (.+)\n$/.exec(stderr);
  if (!m) throw new Error(`stderr is not one error line and its hint:\n${stderr}`);
  return {message: m[1], code: m[2], hint: m[3]};
}
