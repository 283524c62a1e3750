// Drives brink inside a real terminal: tmux runs it, send-keys types, capture-pane reads the screen.
import {execFileSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], {stdio: 'ignore'});
    return true;
  } catch {
    return false;
  }
}

export class TmuxSession {
  readonly name = `brink-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  /**
   * Each session on a tmux server of its own (-L): on the default one, anything else using tmux on the machine
   * (a `tmux kill-server`, another test run) could end it, and it did ("server exited unexpectedly").
   */
  private tmux(args: string[]): void;
  private tmux(args: string[], options: {encoding: 'utf8'}): string;
  private tmux(args: string[], options: {stdio: 'ignore'}): void;
  private tmux(args: string[], options: {encoding?: 'utf8'; stdio?: 'ignore'} = {}): string | void {
    const out = execFileSync('tmux', ['-L', this.name, ...args], options);
    return typeof out === 'string' ? out : undefined;
  }

  constructor(
    command: string,
    readonly columns = 120,
    readonly rows = 40,
    env: Record<string, string> = {},
  ) {
    // An empty config dir: a developer's saved profiles and defaults must not change what the test sees.
    const all = {BRINK_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'brink-config-')), ...env};
    const exports = Object.entries(all)
      .map(([k, v]) => `export ${k}='${v}';`)
      .join(' ');
    this.tmux(['new-session', '-d', '-s', this.name, '-x', String(columns), '-y', String(rows), `${exports} ${command}`]);
  }

  keys(...keys: string[]): void {
    this.tmux(['send-keys', '-t', this.name, ...keys]);
  }

  /** The screen as text; `styled`: with its colour and style escapes (capture-pane -e). */
  screen(styled = false): string {
    try {
      return this.tmux(['capture-pane', '-p', ...(styled ? ['-e'] : []), '-t', this.name], {encoding: 'utf8'});
    } catch {
      return '';
    }
  }

  /**
   * Polls the screen until `pattern` shows. The budget is generous: under the full suite on 2 cores, brink
   * has once taken over 15 s to draw its first frame (its start-up is about 1 CPU-second).
   */
  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < until) {
      last = this.screen();
      if (pattern.test(last)) return last;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`screen never matched ${pattern}; last screen:\n${last}`);
  }

  /** Sends a signal to brink alone (it names itself `brink`), wherever it sits under the pane's shells. */
  signalBrink(signal: string): void {
    const pane = this.tmux(['display-message', '-p', '-t', this.name, '#{pane_pid}'], {encoding: 'utf8'}).trim();
    const children = (pid: string): string[] => {
      try {
        return execFileSync('pgrep', ['-P', pid], {encoding: 'utf8'}).split('\n').filter(Boolean);
      } catch {
        return [];
      }
    };
    const all: string[] = [];
    for (let queue = children(pane); queue.length > 0;) {
      const pid = queue.shift()!;
      all.push(pid);
      queue.push(...children(pid));
    }
    const brink = all.filter((pid) => execFileSync('ps', ['-o', 'comm=', '-p', pid], {encoding: 'utf8'}).trim() === 'brink');
    if (brink.length !== 1) throw new Error(`expected one brink process under the pane, found ${brink.length}`);
    execFileSync('kill', [`-${signal}`, brink[0]]);
  }

  kill(): void {
    try {
      this.tmux(['kill-server'], {stdio: 'ignore'}); // its own server: nothing else runs on it
    } catch {
      // already gone
    }
  }
}
