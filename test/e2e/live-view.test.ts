// The live view end to end in a real terminal (tmux): keys change the users the server sees, `b` drops
// back and times the recovery, `q` and Ctrl-C leave a clean terminal and print the summary.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {checkStepsAddUp} from '../helpers/summary-check.js';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {BIN} from '../cli/run-cli.js';
import {hasTmux, TmuxSession} from './tmux.js';

let session: TmuxSession | undefined;
let server: http.Server | undefined;
const dir = mkdtempSync(join(tmpdir(), 'brink-e2e-'));

beforeAll(() => {
  if (!hasTmux()) throw new Error('tmux is needed for the terminal end-to-end tests (.ci/run installs it: apt-get install tmux)');
});

afterEach(() => {
  session?.kill();
  server?.closeAllConnections();
  server?.close();
  session = server = undefined;
});

/** Holds each request 50 ms and tracks how many are in flight: with no think time, that is the users. */
async function concurrencyServer() {
  let inFlight = 0;
  const recent: number[] = [];
  server = http.createServer((req, res) => {
    inFlight++;
    recent.push(inFlight);
    if (recent.length > 200) recent.shift();
    setTimeout(() => {
      inFlight--;
      res.end('ok');
    }, 50);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Highest concurrency among the last requests: what the users are now. */
    concurrency: () => Math.max(0, ...recent.slice(-60)),
  };
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs brink in a shell that reports whether the terminal settings came back as they were. */
function shell(args: string): string {
  return `sh -c 'saved=$(stty -g); node ${BIN} ${args}; code=$?; [ "$saved" = "$(stty -g)" ] && echo TTY-RESTORED; echo EXIT:$code; sleep 60'`;
}

describe('live view in a real terminal', () => {
  it('+ raises the users the server sees, b drops back and times recovery, q prints the summary', async () => {
    const target = await concurrencyServer();
    const json = join(dir, 'live.json');
    session = new TmuxSession(shell(`${target.url}/ -c 5 -d 5m --step 5 --workers 1 --json ${json}`), 120, 40, {NO_COLOR: '1'});
    await session.waitFor(/users 5\b/);
    await until(() => target.concurrency() === 5);
    expect(target.concurrency()).toBe(5);

    session.keys('+');
    session.keys('+');
    const raised = await session.waitFor(/users 15\b/);
    expect(raised).toMatch(/manual/);
    await until(() => target.concurrency() >= 15);
    expect(target.concurrency()).toBe(15);

    await new Promise((r) => setTimeout(r, 2500)); // some time at 15 users
    session.keys('b');
    const dropped = await session.waitFor(/recovering|recovered in/i);
    expect(dropped).toMatch(/users (15 → 5 stopping|5\b)/);
    await until(() => target.concurrency() <= 5, 5000);
    expect(target.concurrency()).toBeLessThanOrEqual(5);
    await session.waitFor(/recovered in/i, 15_000);

    session.keys('q');
    const end = await session.waitFor(/EXIT:\d+/);
    expect(end).toMatch(/EXIT:0/);
    expect(end).toMatch(/TTY-RESTORED/);
    expect(end).toMatch(/\[200\] [\d,]+ responses/);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    checkStepsAddUp(summary, json);
    expect(summary.interrupted).toBe(true);
    expect(summary.manualChanges.map((c: {command: string}) => c.command)).toEqual(['addUsers', 'addUsers', 'baseline']);
    expect(summary.recovery.state).toBe('recovered');
    expect(summary.peakUsers).toBe(15);
  }, 60_000);

  it('f freezes the screen while the run and the keys go on; f again shows where the run is', async () => {
    const target = await concurrencyServer();
    session = new TmuxSession(shell(`${target.url}/ -c 5 -d 5m --step 5 --workers 1`), 120, 40, {NO_COLOR: '1'});
    await session.waitFor(/users 5\b/);
    await new Promise((r) => setTimeout(r, 1200));
    session.keys('f');
    const frozen = await session.waitFor(/frozen · f resumes/);
    const clock = /elapsed (\d\d:\d\d)/.exec(frozen)?.[1];
    expect(clock).toBeDefined();
    session.keys('+');
    await until(() => target.concurrency() >= 10);
    expect(target.concurrency()).toBe(10); // the key reached the run
    await new Promise((r) => setTimeout(r, 2200));
    const still = session.screen();
    expect(still).toContain(`elapsed ${clock}`);
    expect(still).toMatch(/users 5\b/);
    session.keys('f');
    const resumed = await session.waitFor(/users 10\b/);
    expect(resumed).not.toContain('frozen');
    expect(resumed).not.toContain(`elapsed ${clock}`);
    session.keys('q');
    expect(await session.waitFor(/EXIT:\d+/)).toMatch(/EXIT:0/);
  }, 60_000);

  it('colour on a colour terminal; none with NO_COLOR or --no-color; FORCE_COLOR wins over NO_COLOR', async () => {
    const target = await concurrencyServer();
    /** Whether the live view drew a foreground colour (SGR 30–37, 90–97 or 38;…), not just bold or dim. */
    const coloured = async (args: string, env: Record<string, string>) => {
      session = new TmuxSession(shell(`${target.url}/ -c 1 -d 20s --workers 1 ${args}`), 120, 40, {TERM: 'xterm-256color', ...env});
      await session.waitFor(/users 1\b/);
      await new Promise((r) => setTimeout(r, 1200)); // a frame with figures in it
      const screen = session.screen(true);
      session.kill();
      return /\u001b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38)(?:;[0-9;]*)?m/.test(screen);
    };
    expect(await coloured('', {})).toBe(true);
    expect(await coloured('', {NO_COLOR: '1'})).toBe(false);
    expect(await coloured('--no-color', {})).toBe(false);
    expect(await coloured('', {NO_COLOR: '1', FORCE_COLOR: '1'})).toBe(true);
  }, 90_000);

  it('a run that reaches its end by itself gives the terminal back', async () => {
    const target = await concurrencyServer();
    session = new TmuxSession(shell(`${target.url}/ -c 2 -d 2s --workers 1`), 100, 30);
    const end = await session.waitFor(/EXIT:\d+/);
    expect(end).toMatch(/EXIT:0/);
    expect(end).toMatch(/TTY-RESTORED/);
    expect(end).not.toMatch(/interrupted/);
  }, 60_000);

  it('a dropped ssh session (SIGHUP) stops the run and still writes the summary', async () => {
    const target = await concurrencyServer();
    const json = join(dir, 'hup.json');
    session = new TmuxSession(shell(`${target.url}/ -c 2 -d 5m --workers 1 --json ${json}`), 100, 30);
    await session.waitFor(/users 2\b/);
    session.signalBrink('HUP');
    const end = await session.waitFor(/EXIT:\d+/);
    expect(end).toMatch(/EXIT:0/);
    expect(end).toMatch(/TTY-RESTORED/);
    const hup = JSON.parse(readFileSync(json, 'utf8'));
    checkStepsAddUp(hup, json);
    expect(hup.interrupted).toBe(true);
  }, 60_000);

  it('Ctrl-C also stops cleanly and keeps what was measured', async () => {
    const target = await concurrencyServer();
    session = new TmuxSession(shell(`${target.url}/ -c 3 -d 5m --workers 1`), 80, 24);
    await session.waitFor(/users 3\b/);
    session.keys('C-c');
    const end = await session.waitFor(/EXIT:\d+/);
    expect(end).toMatch(/EXIT:0/);
    expect(end).toMatch(/TTY-RESTORED/);
    expect(end).toMatch(/interrupted/);
  }, 60_000);
});
