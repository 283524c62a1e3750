// Agents on machines of their own, as far as the network goes: each agent in a network namespace of its own,
// joined to a hub namespace (nats-server, the target, the controller) by a veth pair on a bridge. Nothing shares
// loopback: every message and request crosses a link. All the addresses are in namespaces this test makes and
// removes. Skipped where namespaces cannot be made (not root, no `ip`).
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {BIN} from '../cli/run-cli.js';
import {tempDir} from '../helpers/run.js';
import {natsServerBin, startAgent, startNats, type AgentProcess, type NatsServer} from '../helpers/nats.js';
import type {Summary} from '../../source/report/summary.js';

const tag = `${process.pid % 100000}`;
const HUB = `brink-hub-${tag}`;
const AGENTS = [`brink-a1-${tag}`, `brink-a2-${tag}`];
const SUBNET = `10.213.${process.pid % 250}`;
const HUB_IP = `${SUBNET}.1`;

function canMakeNamespaces(): boolean {
  if (process.getuid?.() !== 0 || spawnSync('ip', ['-V']).status !== 0) return false;
  const probe = `brink-probe-${tag}`;
  const made = spawnSync('ip', ['netns', 'add', probe]).status === 0;
  if (made) spawnSync('ip', ['netns', 'del', probe]);
  return made;
}

const ip = (...args: string[]) => execFileSync('ip', args, {stdio: 'pipe'});
const inNs = (ns: string) => ['ip', 'netns', 'exec', ns];
const ENABLED = natsServerBin() !== undefined && canMakeNamespaces();

function makeNetwork(): void {
  ip('netns', 'add', HUB);
  ip('-n', HUB, 'link', 'set', 'lo', 'up');
  ip('-n', HUB, 'link', 'add', 'br0', 'type', 'bridge');
  ip('-n', HUB, 'addr', 'add', `${HUB_IP}/24`, 'dev', 'br0');
  ip('-n', HUB, 'link', 'set', 'br0', 'up');
  AGENTS.forEach((ns, i) => {
    ip('netns', 'add', ns);
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    // The pair is made in the agent's namespace; its far end moves to the hub and joins the bridge.
    ip('-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `v${i}`);
    ip('-n', ns, 'link', 'set', `v${i}`, 'netns', HUB);
    ip('-n', ns, 'addr', 'add', `${SUBNET}.${i + 2}/24`, 'dev', 'eth0');
    ip('-n', ns, 'link', 'set', 'eth0', 'up');
    ip('-n', HUB, 'link', 'set', `v${i}`, 'master', 'br0');
    ip('-n', HUB, 'link', 'set', `v${i}`, 'up');
  });
}

function removeNetwork(): void {
  for (const ns of [...AGENTS, HUB]) spawnSync('ip', ['netns', 'del', ns]);
}

let nats: NatsServer | undefined;
const agents: AgentProcess[] = [];
const tmp = tempDir('brink-netns-');

beforeAll(() => {
  if (ENABLED) makeNetwork();
});
afterAll(async () => {
  for (const a of agents) a.kill('SIGKILL');
  await nats?.close();
  if (ENABLED) removeNetwork();
  tmp.cleanup();
});

describe.skipIf(!ENABLED)('agents in network namespaces of their own', () => {
  it("two agents, each behind its own link: the target's count is the summary's, and each agent's requests come from its address", async () => {
    nats = await startNats({host: HUB_IP, prefix: inNs(HUB)});
    // The target, in the hub: counts requests by the address they came from, and prints them when told to end.
    const target = spawn(
      inNs(HUB)[0],
      [
        ...inNs(HUB).slice(1),
        process.execPath,
        '-e',
        `const counts = {};
const server = require('node:http').createServer((req, res) => {
  const from = req.socket.remoteAddress;
  counts[from] = (counts[from] || 0) + 1;
  res.end('ok');
});
server.listen(8080, '${HUB_IP}', () => console.log('listening'));
process.on('SIGTERM', () => { console.log(JSON.stringify(counts)); process.exit(0); });`,
      ],
      {stdio: ['ignore', 'pipe', 'inherit']},
    );
    let out = '';
    target.stdout!.on('data', (d) => (out += d));
    while (!out.includes('listening')) await new Promise((r) => setTimeout(r, 20));
    agents.push(
      ...(await Promise.all(AGENTS.map((ns, i) => startAgent(nats!.url, `a${i + 1}`, ['--workers', '1', '--once'], {prefix: inNs(ns)})))),
    );
    const json = join(tmp.dir, 'netns.json');
    const run = spawnSync(
      inNs(HUB)[0],
      [
        ...inNs(HUB).slice(1),
        process.execPath,
        BIN,
        `http://${HUB_IP}:8080/x`,
        '-c',
        '4',
        '-d',
        '3s',
        '--headless',
        '--json',
        json,
        '--agents',
        nats.url,
        '--expect-agents',
        '2',
      ],
      {encoding: 'utf8', timeout: 30_000, env: {...process.env, NO_COLOR: '1'}},
    );
    expect(run.status, run.stderr).toBe(0);
    target.kill('SIGTERM');
    await new Promise((r) => target.once('exit', r));
    const counts = JSON.parse(out.split('\n').filter(Boolean).at(-1)!) as Record<string, number>;
    const s = JSON.parse(readFileSync(json, 'utf8')) as Summary;
    // Every request came over a link from an agent's own address; none from the hub (the controller sends none).
    expect(Object.keys(counts).sort()).toEqual([`${SUBNET}.2`, `${SUBNET}.3`]);
    expect(s.totals.requests).toBe(counts[`${SUBNET}.2`] + counts[`${SUBNET}.3`]);
    const byName = Object.fromEntries(s.agents!.map((a) => [a.name, a.requests]));
    expect(byName).toEqual({a1: counts[`${SUBNET}.2`], a2: counts[`${SUBNET}.3`]});
    expect(await Promise.all(agents.map((a) => a.exited))).toEqual([0, 0]);
  });
});
