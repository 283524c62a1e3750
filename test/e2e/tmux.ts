// Drives brink inside a real terminal: tmux runs it, send-keys types, capture-pane reads the screen.
import {execFileSync} from 'node:child_process';

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

  constructor(command: string, readonly columns = 120, readonly rows = 40, env: Record<string, string> = {}) {
    const exports = Object.entries(env).map(([k, v]) => `export ${k}='${v}';`).join(' ');
    execFileSync('tmux', ['new-session', '-d', '-s', this.name, '-x', String(columns), '-y', String(rows), `${exports} ${command}`]);
  }

  keys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, ...keys]);
  }

  screen(): string {
    try {
      return execFileSync('tmux', ['capture-pane', '-p', '-t', this.name], {encoding: 'utf8'});
    } catch {
      return '';
    }
  }

  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < until) {
      last = this.screen();
      if (pattern.test(last)) return last;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`screen never matched ${pattern}; last screen:\n${last}`);
  }

  /** Sends a signal to the processes the pane's shell started (brink, which names itself `brink`). */
  signalChildren(signal: string): void {
    const shellPid = execFileSync('tmux', ['display-message', '-p', '-t', this.name, '#{pane_pid}'], {encoding: 'utf8'}).trim();
    execFileSync('pkill', [`-${signal}`, '-P', shellPid]);
  }

  kill(): void {
    try {
      execFileSync('tmux', ['kill-session', '-t', this.name], {stdio: 'ignore'});
    } catch {
      // already gone
    }
  }
}
