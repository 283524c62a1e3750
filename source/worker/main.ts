// A worker thread: runs its share of the virtual users and answers the controller's snapshot
// requests. Users are numbered across the run; this worker owns the numbers n with n % workerCount == workerId.
import {parentPort, workerData} from 'node:worker_threads';
import {performance} from 'node:perf_hooks';
import {dirname} from 'node:path';
import type {ControlMessage, WorkerInit, WorkerMessage} from '../engine/protocol.js';
import type {IntervalSnapshot} from '../metrics/snapshot.js';
import type {Scenario} from '../scenario/types.js';
import {UserMix} from '../scenario/mix.js';
import {setScenarioDir} from '../scenario/feeder.js';
import {Recorder} from './recorder.js';
import {Pools} from './pools.js';
import {VirtualUser} from './virtual-user.js';
import {QuickUser} from './quick-user.js';
import {Arrivals} from './arrivals.js';

type User = VirtualUser | QuickUser;

const init = workerData as WorkerInit;
const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);
process.setSourceMapsEnabled(true);

const recorder = new Recorder(init.maxEndpoints);
const pools = new Pools(init.insecure);
const users = new Map<number, User>();
const stopping = new Set<User>();
let startFailures = 0;
let lastElu = performance.eventLoopUtilization();
let lastSnapshotAt = Date.now();
let makeUser: (userId: number, open?: boolean) => User;
let arrivals: Arrivals | undefined;
let openUsers = 0;

async function setup(): Promise<void> {
  const {workload} = init;
  if (workload.kind === 'quick') {
    const origin = new URL(init.host).origin;
    const pool = pools.get(origin);
    const stats = recorder.endpoint(workload.method, new URL(workload.path, origin).pathname);
    const headers = {host: new URL(init.host).host, ...workload.headers};
    makeUser = (_userId, open) => new QuickUser(pool, {...workload, headers, timeoutMs: init.timeoutMs}, stats, open);
    return;
  }
  setScenarioDir(dirname(workload.scenarioFile));
  const scenario = (await import(workload.bundleUrl)).default as Scenario;
  const mix = new UserMix(scenario.users.map((u) => u.weight));
  const settings = {baseUrl: init.host, timeoutMs: init.timeoutMs, maxBodyBytes: init.maxBodyBytes};
  makeUser = (userId, open) => new VirtualUser(userId, scenario.users[mix.typeOf(userId)], settings, pools, recorder, workload.scenarioFile, () => startFailures++, open);
}

/** Starts or stops users so that this worker runs its share of `total`; the newest users stop first. */
function setUsers(total: number): void {
  const mine = total <= init.workerId ? 0 : Math.ceil((total - init.workerId) / init.workerCount);
  const ids = [...users.keys()].sort((a, b) => a - b);
  for (let i = ids.length - 1; i >= mine; i--) {
    const user = users.get(ids[i])!;
    users.delete(ids[i]);
    stopping.add(user);
    user.stop();
    void user.done.finally(() => stopping.delete(user));
  }
  for (let i = ids.length; i < mine; i++) {
    const userId = init.workerId + i * init.workerCount;
    const user = makeUser(userId);
    users.set(userId, user);
    // A user's loop never rejects (failures are recorded), but guard the worker against the unexpected.
    user.done.catch((error) => post({type: 'fatal', message: `user ${userId} crashed: ${String(error?.stack ?? error)}`}));
  }
}

/** Open model: this worker's share of `perSecond` iterations a second, with its share of the user cap. */
function setRate(perSecond: number, maxUsers: number): void {
  arrivals ??= new Arrivals(() => makeUser(init.workerId + init.workerCount * openUsers++, true));
  const share = (n: number) => n / init.workerCount;
  arrivals.setRate(share(perSecond), Math.max(1, Math.ceil(share(maxUsers))));
}

function snapshot(seq: number): IntervalSnapshot {
  const elu = performance.eventLoopUtilization(lastElu);
  lastElu = performance.eventLoopUtilization();
  let inFlight = 0;
  for (const user of users.values()) inFlight += user instanceof QuickUser ? user.inFlight : user.session.inFlight;
  if (arrivals) inFlight += arrivals.busy;
  const health = {
    workerId: init.workerId,
    elu: elu.utilization,
    users: users.size + (arrivals?.users.length ?? 0),
    busyUsers: arrivals ? arrivals.busy : users.size,
    dropped: arrivals?.takeDropped() ?? 0,
    stoppingUsers: stopping.size,
    inFlight,
    startFailures,
    endpointOverflow: recorder.overflow,
  };
  startFailures = 0;
  const from = lastSnapshotAt;
  lastSnapshotAt = Date.now();
  return {seq, from, at: lastSnapshotAt, health, endpoints: recorder.take()};
}

async function stop(graceMs: number): Promise<void> {
  setUsers(0);
  const all: Promise<unknown>[] = [...stopping].map((u) => u.done);
  if (arrivals) all.push(arrivals.stop());
  await Promise.race([Promise.allSettled(all), new Promise((r) => setTimeout(r, graceMs))]);
  post({type: 'stopped', snapshot: snapshot(-1)});
  await pools.close();
}

port.on('message', (message: ControlMessage) => {
  switch (message.type) {
    case 'setUsers': setUsers(message.total); break;
    case 'setRate': setRate(message.perSecond, message.maxUsers); break;
    case 'snapshot': post({type: 'snapshot', snapshot: snapshot(message.seq)}); break;
    case 'stop': void stop(message.graceMs); break;
  }
});

setup().then(
  () => post({type: 'ready'}),
  (error) => post({type: 'fatal', message: String(error?.stack ?? error)}),
);
