// The host guard in the workers: a request to a host that is neither loopback nor private is not sent, over the
// h1 client and over undici. No test here may reach beyond loopback, even if the guard were broken: every
// socket's connect() is watched, and one to an address outside loopback is refused by the test itself (and
// counted, so the test fails). "Public" names resolve, through a stand-in resolver, to 127.0.0.2, which the
// guards under test are told to treat as public: a server listening there shows that nothing reached it.
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {createServer, isIP, Socket, type AddressInfo, type Server} from 'node:net';
import type {LookupAddress} from 'node:dns';
import {HostGuard} from '../../../source/worker/http/host-guard.js';
import {H1Connection} from '../../../source/worker/http/h1-connection.js';
import {Pools} from '../../../source/worker/http/pools.js';
import {loadUndici} from '../../../source/worker/http/undici.js';
import {classifyError} from '../../../source/worker/http/classify.js';
import {isPrivateAddress} from '../../../source/kernel/private-address.js';
import {openWebSocket} from '../../../source/worker/http/ws-client.js';
import {openEventStream} from '../../../source/worker/http/sse-client.js';

/** Every connect() a socket was asked for, by host; any outside loopback refused before it happens. */
const attempts: string[] = [];
const realConnect = Socket.prototype.connect;
const loopback = (host: string) => host === 'localhost' || /^127\./.test(host) || host === '::1';

/** Two loopback servers: `near` (127.0.0.1) answers 200, `far` (127.0.0.2) plays a public host and counts who got through. */
const servers: Record<'near' | 'far', {server: Server; port: number; accepted: number}> = {} as never;

async function listen(host: string): Promise<{server: Server; port: number; accepted: number}> {
  const s = {server: createServer(), port: 0, accepted: 0};
  s.server.on('connection', (socket) => {
    s.accepted++;
    socket.on('error', () => {});
    socket.on('data', () => socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok'));
  });
  await new Promise<void>((resolve) => s.server.listen(0, host, resolve));
  s.port = (s.server.address() as AddressInfo).port;
  return s;
}

beforeAll(async () => {
  vi.spyOn(Socket.prototype, 'connect').mockImplementation(function (this: Socket, ...args: unknown[]) {
    // net.connect() hands connect() its normalised arguments: [options, callback] in an array.
    const first = (Array.isArray(args[0]) ? args[0][0] : args[0]) as {host?: string} | number;
    const host = typeof first === 'object' ? (first.host ?? 'localhost') : String(args[1] ?? 'localhost');
    attempts.push(host);
    if (isIP(host) !== 0 && !loopback(host)) throw new Error(`test safety net: no connection to ${host}`);
    return (realConnect as (...a: unknown[]) => Socket).apply(this, args);
  });
  servers.near = await listen('127.0.0.1');
  servers.far = await listen('127.0.0.2');
  loadUndici();
});
afterEach(() => {
  attempts.length = 0;
});
afterAll(async () => {
  vi.restoreAllMocks();
  for (const s of Object.values(servers)) await new Promise((resolve) => s.server.close(resolve));
});

/** A resolver for the test's names: public.test → 127.0.0.2, local.test → 127.0.0.1, two.test → both; others do not resolve. */
const NAMES: Record<string, string[]> = {'public.test': ['127.0.0.2'], 'local.test': ['127.0.0.1'], 'two.test': ['127.0.0.1', '127.0.0.2']};
const resolve = ((hostname: string, options: {all?: boolean}, callback: (...a: unknown[]) => void) => {
  const found = NAMES[hostname];
  setImmediate(() => {
    if (!found) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {code: 'ENOTFOUND'}));
    if (options.all)
      callback(
        null,
        found.map((address) => ({address, family: 4}) satisfies LookupAddress),
      );
    else callback(null, found[0], 4);
  });
}) as never;
/** The guard under test: 127.0.0.2 stands for a public address. */
const guard = new HostGuard((ip) => isPrivateAddress(ip) && ip !== '127.0.0.2', resolve);

function h1Get(host: string, port: number, g: HostGuard): Promise<{status: number; error: unknown}> {
  return new Promise((done) => {
    const conn = new H1Connection(
      host,
      port,
      `GET / HTTP/1.1\r\nhost: ${host}\r\n\r\n`,
      false,
      (status, error) => {
        conn.close();
        done({status, error});
      },
      undefined,
      undefined,
      g,
    );
    conn.send(3000);
  });
}

async function undiciGet(origin: string, g: HostGuard): Promise<{status: number; error: unknown}> {
  const pools = new Pools(false, 3000, undefined, undefined, g);
  try {
    const res = await pools.get(origin).request({path: '/', method: 'GET'});
    await res.body.dump();
    return {status: res.statusCode, error: undefined};
  } catch (error) {
    return {status: 0, error};
  } finally {
    await pools.close();
  }
}

const hostPart = (host: string) => (host.includes(':') ? `[${host}]` : host);

/** A WebSocket handshake: the far server answers it 200, which is as far as it needs to get to show it got through. */
async function wsGet(host: string, port: number, g: HostGuard): Promise<{status: number; error: unknown}> {
  try {
    const {socket} = await openWebSocket(new URL(`ws://${hostPart(host)}:${port}/`), {
      headers: {},
      protocols: [],
      timeoutMs: 3000,
      insecure: false,
      guard: g,
    });
    socket.terminate();
    return {status: 101, error: undefined};
  } catch (error) {
    const status = (error as {status?: number}).status;
    return status ? {status, error: undefined} : {status: 0, error};
  }
}

async function sseGet(host: string, port: number, g: HostGuard): Promise<{status: number; error: unknown}> {
  try {
    const {request, response} = await openEventStream(new URL(`http://${hostPart(host)}:${port}/`), {
      headers: {},
      timeoutMs: 3000,
      insecure: false,
      guard: g,
    });
    request.destroy();
    return {status: response.statusCode ?? 0, error: undefined};
  } catch (error) {
    return {status: 0, error};
  }
}

const CLIENTS = [
  ['the h1 client', (host: string, port: number, g: HostGuard) => h1Get(host, port, g)],
  ['undici', (host: string, port: number, g: HostGuard) => undiciGet(`http://${host.includes(':') ? `[${host}]` : host}:${port}`, g)],
  ['a WebSocket', wsGet],
  ['an event stream', sseGet],
] as const;

describe('the host guard', () => {
  it('tells an address literal that may not be loaded from one that may, and leaves names to the lookup', () => {
    const real = new HostGuard();
    expect((real.literal('203.0.113.10') as {code?: string}).code).toBe('BRINK_BLOCKED_HOST');
    expect(real.literal('203.0.113.10')!.message).toBe(
      '203.0.113.10 is not a loopback or private address: the request was not sent (pass --yes to load hosts that are)',
    );
    expect(real.literal('[2001:db8::1]')).toBeDefined();
    for (const ok of ['127.0.0.1', '10.0.0.1', '[::1]', '::1', 'example.com', 'localhost']) expect(real.literal(ok), ok).toBeUndefined();
    expect(classifyError(real.literal('8.8.8.8'))).toBe('blocked_host');
  });

  it('fails a lookup when any address found may not be loaded, one address or all of them', async () => {
    const look = (name: string, all: boolean) =>
      new Promise<{error: NodeJS.ErrnoException | null; found: unknown}>((done) =>
        guard.lookup(name, {all}, (error: NodeJS.ErrnoException | null, found: unknown) => done({error, found})),
      );
    expect(await look('local.test', false)).toEqual({error: null, found: '127.0.0.1'});
    expect((await look('local.test', true)).found).toEqual([{address: '127.0.0.1', family: 4}]);
    for (const all of [false, true]) {
      const {error} = await look('public.test', all);
      expect(error?.code).toBe('BRINK_BLOCKED_HOST');
      expect(error?.message).toMatch(/^public\.test \(127\.0\.0\.2\) is not a loopback or private address/);
    }
    // One public address among private ones is enough: the connection might go to it.
    expect((await look('two.test', true)).error?.code).toBe('BRINK_BLOCKED_HOST');
    // A name that does not resolve is the resolver's failure, as before.
    expect((await look('nowhere.test', false)).error?.code).toBe('ENOTFOUND');
  });

  it.each(CLIENTS)('%s: an address literal that may not be loaded fails before any connect(), as blocked_host', async (_name, get) => {
    const real = new HostGuard();
    const {status, error} = await get('203.0.113.10', 9, real);
    expect(status).toBe(0);
    expect(classifyError(error)).toBe('blocked_host');
    expect(attempts).toEqual([]);
    const v6 = await get('2001:db8::10', 9, real);
    expect(classifyError(v6.error)).toBe('blocked_host');
    expect(attempts).toEqual([]);
  });

  it.each(CLIENTS)('%s: a name that resolves to an address that may not be loaded never reaches it', async (_name, get) => {
    const before = servers.far.accepted;
    const {status, error} = await get('public.test', servers.far.port, guard);
    expect(status).toBe(0);
    expect(classifyError(error)).toBe('blocked_host');
    expect((error as Error).message).toContain('public.test (127.0.0.2)');
    expect(servers.far.accepted).toBe(before); // nothing reached the "public" host
    // The same server by an allowed name (the guard's lookup really is the one connected through), and as a literal.
    const near = await get('local.test', servers.near.port, guard);
    expect(near.status).toBe(200);
    expect((await get('127.0.0.2', servers.far.port, new HostGuard())).status).toBe(200);
    expect(servers.far.accepted).toBe(before + 1);
  });

  it.each(CLIENTS)('%s: a name that does not resolve is a dns failure, as without the guard', async (_name, get) => {
    const {error} = await get('nowhere.test', 9, guard);
    expect(classifyError(error)).toBe('dns');
  });
});
