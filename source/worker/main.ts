// A worker thread: runs its share of the virtual users and answers the controller's snapshot
// requests. Users are numbered across the run; this worker owns the numbers n with n % workerCount == workerId.
import {parentPort, workerData} from 'node:worker_threads';
import {performance} from 'node:perf_hooks';
import {dirname} from 'node:path';
import {getHeapStatistics} from 'node:v8';
import type {ControlMessage, WorkerInit, WorkerMessage} from '../protocol/messages.js';
import type {IntervalSnapshot} from '../protocol/snapshot.js';
import type {Scenario} from '../scenario/types.js';
import {UserMix} from '../scenario/mix.js';
import {setScenarioDir} from '../scenario/feeder.js';
import {Recorder} from './recorder.js';
import {Pools} from './http/pools.js';
import {ConnectTimes} from './http/connect-times.js';
import type {VirtualUser} from './users/virtual-user.js';
import {QuickUser} from './users/quick-user.js';
import {Arrivals} from './users/arrivals.js';
import {errorMessage} from './http/classify.js';
import {scriptLocation} from '../kernel/script-location.js';
import {RateLimit} from './http/rate-limit.js';
import {RequestBudget} from './request-budget.js';
import {forbidProcessExit} from './scenario-exit.js';
import {capOutput} from '../kernel/output-cap.js';
import {H1Connection} from './http/h1-connection.js';
import {loadUndici} from './http/undici.js';
import {loadHtmlParser} from '../scenario/html.js';
import {HostGuard} from './http/host-guard.js';
import {MAX_REDIRECTS, strippedHeaders} from './http/redirects.js';
import {H2Watch} from './http/h2-watch.js';

type User = VirtualUser | QuickUser;

const init = workerData as WorkerInit;
const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);
process.setSourceMapsEnabled(true);

const output = capOutput([process.stdout, process.stderr]);
const recorder = new Recorder(init.maxEndpoints);
const connects = new ConnectTimes();
/** --http2: every request through undici, h2 where the server speaks it; protocols and retries counted. */
const h2 = init.http2 ? new H2Watch() : undefined;
// BRINK_LEAN_HTTP=0 sends scenario requests through undici only (bench/ compares the two paths).
const pools = new Pools(
  init.insecure,
  Math.min(10_000, init.timeoutMs),
  process.env.BRINK_LEAN_HTTP === '0' ? undefined : {maxBodyBytes: init.maxBodyBytes},
  connects,
  // Every request goes through the host guard unless the run was given --yes (host-guard.ts).
  init.safety?.allowPublic ? undefined : new HostGuard(),
  h2,
);
const strip = strippedHeaders(init.safety?.stripHeaders);
const limit = init.maxRps !== undefined ? new RateLimit(init.maxRps) : undefined;
const users = new Map<number, User>();
const stopping = new Set<User>();
let startFailures = 0;
let lastElu = performance.eventLoopUtilization();
let lastSnapshotAt = Date.now();
let makeUser: (userId: number, open?: boolean) => User;
let arrivals: Arrivals | undefined;
let openUsers = 0;
/**
 * Users started a turn; each setUsers numbers its start, and a later one ends an earlier one's slices.
 * Small, so that a connection's handshake is read as it completes, not once the rest of a big slice of sockets
 * is made: at 1000 users, 10 a turn measured loopback connects at 0.7 ms (p50) where 100 a turn said 13–20 ms.
 */
const START_SLICE = 10;
/** Users stopped a turn: a stop costs a few µs and opens nothing, so slices can be bigger. */
const STOP_SLICE = 200;
let startGeneration = 0;

async function setup(): Promise<void> {
  const {workload} = init;
  if (workload.kind === 'quick') {
    const origin = new URL(init.host).origin;
    const stats = recorder.endpoint(workload.method, new URL(workload.path, origin).pathname);
    const headers = {host: new URL(init.host).host, ...workload.headers};
    const budget = init.requestBudget === undefined ? undefined : new RequestBudget(init.requestBudget, () => post({type: 'spent'}));
    stats.budget = budget;
    const req = {...workload, headers, timeoutMs: init.timeoutMs, limit, budget};
    // undici only for what the h1 client does not carry (https, a request it does not write): see undici.ts.
    const pool = H1Connection.carries(origin, req) && !h2 ? undefined : (loadUndici(), pools.get(origin));
    const net = {pools, maxRedirects: workload.maxRedirects ?? MAX_REDIRECTS, strip};
    makeUser = (_userId, open) => new QuickUser(origin, pool, req, stats, open, connects, net);
    return;
  }
  // Scenario users (sessions, cookies, HTML parsing) and undici are loaded for scenarios only: quick mode's
  // start-up need not pay for them. A scenario may send multipart bodies, or go to https, at any request.
  const {VirtualUser} = await import('./users/virtual-user.js');
  forbidProcessExit();
  loadUndici();
  loadHtmlParser();
  setScenarioDir(dirname(workload.scenarioFile));
  const scenario = (await import(workload.bundleUrl)).default as Scenario;
  const mix = new UserMix(scenario.users.map((u) => u.weight));
  const settings = {
    baseUrl: init.host,
    // A `user:pass@` in --host: Basic auth on every request (a scenario's own Authorization wins).
    headers: workload.headers,
    timeoutMs: init.timeoutMs,
    maxBodyBytes: init.maxBodyBytes,
    limit,
    taskTimeoutMs: init.taskTimeoutMs,
    strip,
    insecure: init.insecure,
  };
  makeUser = (userId, open) =>
    new VirtualUser(
      userId,
      scenario.users[mix.typeOf(userId)],
      settings,
      pools,
      recorder,
      workload.scenarioFile,
      () => startFailures++,
      open,
    );
}

/** The id of this worker's `index`th user: users are numbered across workers, 0, 1, 2… */
function userId(index: number): number {
  return init.workerId + index * init.workerCount;
}

/**
 * Starts or stops users so that this worker runs its share of `total`; the newest users stop first.
 * `users` always holds this worker's first `users.size` ids: starts fill upward from there, stops take
 * from the top. So the ids to stop are known without listing (and sorting) 20,000 keys at each step.
 */
function setUsers(total: number, keepConnections = false): void {
  const mine = total <= init.workerId ? 0 : Math.ceil((total - init.workerId) / init.workerCount);
  const have = users.size;
  const leaving: User[] = [];
  for (let i = have - 1; i >= mine; i--) {
    const id = userId(i);
    const user = users.get(id)!;
    users.delete(id);
    stopping.add(user);
    leaving.push(user);
  }
  stopUsers(leaving, 0, keepConnections);
  startUsers(have, mine, ++startGeneration);
}

/**
 * Tells `leaving` users to stop, a slice per turn: stopping 20,000 at once held the loop ~120 ms (70 ms of
 * stop calls, then their promises settling), and the responses in flight meanwhile read up to 170 ms late.
 */
function stopUsers(leaving: readonly User[], from: number, keepConnections: boolean): void {
  const end = Math.min(leaving.length, from + STOP_SLICE);
  for (let i = from; i < end; i++) {
    const user = leaving[i]!;
    user.stop(keepConnections);
    void user.done.finally(() => stopping.delete(user));
  }
  if (end < leaving.length) setImmediate(() => stopUsers(leaving, end, keepConnections));
}

/**
 * Users `from`..`to` of this worker's share, a slice per turn of the event loop: a thousand users started
 * in one go would hold the loop for ~100 ms while the first ones' responses wait, unread, in that time.
 */
function startUsers(from: number, to: number, generation: number): void {
  // A later setUsers took over (more or fewer users): it starts what it needs itself.
  if (generation !== startGeneration) return;
  const end = Math.min(to, from + START_SLICE);
  for (let i = from; i < end; i++) {
    const id = userId(i);
    if (users.has(id)) continue;
    const user = makeUser(id);
    users.set(id, user);
    // A user's loop never rejects (failures are recorded), but guard the worker against the unexpected.
    user.done.catch((error) => post({type: 'fatal', message: `user ${id} crashed: ${String(error?.stack ?? error)}`}));
  }
  if (end < to) setImmediate(() => startUsers(end, to, generation));
}

/** Open model: this worker's share of `perSecond` iterations a second, with its share of the user cap. */
function setRate(perSecond: number, maxUsers: number): void {
  arrivals ??= new Arrivals(() => makeUser(init.workerId + init.workerCount * openUsers++, true), init.timeoutMs);
  const share = (n: number) => n / init.workerCount;
  arrivals.setRate(share(perSecond), Math.max(1, Math.ceil(share(maxUsers))));
}

function snapshot(
  seq: number,
  ranUsers = users.size + (arrivals?.users.length ?? 0),
  elu = performance.eventLoopUtilization(lastElu),
): IntervalSnapshot {
  lastElu = performance.eventLoopUtilization();
  let inFlight = 0;
  for (const user of users.values()) inFlight += user instanceof QuickUser ? user.inFlight : user.session.inFlight;
  if (arrivals) inFlight += arrivals.busy;
  const open = arrivals?.take() ?? {scheduled: 0, started: 0, dropped: 0};
  const health = {
    workerId: init.workerId,
    elu: elu.utilization,
    users: ranUsers,
    busyUsers: arrivals ? arrivals.busy : users.size,
    ...open,
    stoppingUsers: stopping.size,
    inFlight,
    startFailures,
    endpointOverflow: recorder.overflow,
  };
  startFailures = 0;
  const from = lastSnapshotAt;
  lastSnapshotAt = Date.now();
  const droppedOutput = output.take();
  const scriptErrors = recorder.takeScriptErrors();
  const warnings = recorder.takeWarnings();
  const sockets = recorder.takeSockets();
  return {
    seq,
    from,
    at: lastSnapshotAt,
    health,
    endpoints: recorder.take(),
    connects: connects.take(),
    ...(sockets ? {sockets} : {}),
    ...h2?.take(),
    ...(scriptErrors.length > 0 ? {scriptErrors} : {}),
    ...(warnings.length > 0 ? {warnings} : {}),
    ...(droppedOutput ? {droppedOutput} : {}),
  };
}

async function stop(graceMs: number): Promise<void> {
  // The last interval ran with the users there were before the stop: report those, not the 0 after it.
  const ranUsers = users.size + (arrivals?.users.length ?? 0);
  // Likewise its event-loop use: stopping 20,000 users is busy work, but it is not load, and would read as saturation.
  const eluBeforeStop = performance.eventLoopUtilization(lastElu);
  // Connections are closed together once the last response is in: closed one by one as each user ends,
  // a thousand of them would keep the target busy closing while it still serves the requests measured.
  const ending: User[] = [...users.values(), ...stopping, ...((arrivals?.users ?? []) as User[])];
  setUsers(0, true);
  const all: Promise<unknown>[] = [...stopping].map((u) => u.done);
  if (arrivals) all.push(arrivals.stop(true));
  await Promise.race([Promise.allSettled(all), new Promise((r) => setTimeout(r, graceMs))]);
  post({type: 'stopped', snapshot: snapshot(-1, ranUsers, eluBeforeStop)});
  stopped = true;
  // WebSockets and event streams too: a user still in its task at the end of the grace time holds them.
  for (const user of ending) {
    if (user instanceof QuickUser) user.close();
    else user.closeSockets();
  }
  await pools.close();
}

let stopped = false;

/** Debug: the handles this worker holds open (sockets, timers…) and its heap, for leak checks. */
function probe(): WorkerMessage {
  const resources: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) resources[r] = (resources[r] ?? 0) + 1;
  return {type: 'probe', probe: {workerId: init.workerId, resources, heapUsed: getHeapStatistics().used_heap_size}};
}

// A scenario's stray callback (a timer, an un-awaited promise) that throws must not end the worker and
// every user on it: it is counted as a script error, with its scenario file:line when there is one.
function uncaught(error: unknown): void {
  const where = init.workload.kind === 'scenario' ? scriptLocation(error, init.workload.scenarioFile) : undefined;
  recorder.scriptError('(uncaught error)', where, errorMessage(error));
}
process.on('uncaughtException', uncaught);
process.on('unhandledRejection', uncaught);

// The worker is ending without being stopped (a scenario called process.exit()): hand over what it
// measured since the last snapshot, responses not yet recorded included; the controller replaces it.
process.on('exit', () => {
  if (stopped) return;
  for (const user of [...users.values(), ...stopping, ...(arrivals?.users ?? [])]) {
    if ('session' in user) (user as VirtualUser).session.flush();
  }
  post({type: 'snapshot', snapshot: snapshot(-1)});
});

port.on('message', (message: ControlMessage) => {
  switch (message.type) {
    case 'setUsers':
      setUsers(message.total);
      break;
    case 'setRate':
      setRate(message.perSecond, message.maxUsers);
      break;
    case 'snapshot':
      post({type: 'snapshot', snapshot: snapshot(message.seq)});
      break;
    case 'stop':
      void stop(message.graceMs);
      break;
    case 'probe':
      post(probe());
      break;
  }
});

setup().then(
  () => {
    // Loading the scenario (and what it needs) is start-up, not load: the first interval's ELU starts here.
    lastElu = performance.eventLoopUtilization();
    post({type: 'ready'});
  },
  (error) => post({type: 'fatal', message: String(error?.stack ?? error)}),
);
