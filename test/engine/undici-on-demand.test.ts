// A scenario loads undici (~100 ms of CPU) only when a request needs it: plain http requests never do, and a
// request that does waits for it before its clock starts, so the loading is not part of its latency.
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {startFaultServer, type FaultServer} from '../helpers/fault-server.js';

// undici, counted and slowed down: the factory runs when something first imports it.
const LOAD_MS = 400;
const undici = vi.hoisted(() => ({loads: 0}));
vi.mock('undici', async (importOriginal) => {
  undici.loads++;
  await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
  return importOriginal();
});

const {Session} = await import('../../source/worker/session.js');
const {Pools} = await import('../../source/worker/pools.js');
const {Recorder} = await import('../../source/worker/recorder.js');
const {undiciLoaded} = await import('../../source/worker/undici.js');

let server: FaultServer;
let pools: InstanceType<typeof Pools>;
beforeAll(async () => {
  server = await startFaultServer();
  pools = new Pools(false, 5000, {maxBodyBytes: 1 << 20});
});
afterAll(async () => {
  await pools.close();
  await server.close();
});

describe('undici in a scenario', () => {
  it('is not loaded for plain http requests, and is loaded before the clock of the first request that needs it', async () => {
    const http = new Session({baseUrl: server.url, timeoutMs: 5000, maxBodyBytes: 1 << 20}, pools, new Recorder(50));
    const login = await http.get('/login');
    const json = await http.post('/echo', {json: {a: 1}, headers: {'x-trace': 't1'}});
    const form = await http.post('/echo', {form: {q: 'a b'}});
    expect([login.status, json.status, form.status]).toEqual([200, 200, 200]);
    expect(json.json()).toEqual({type: 'json', value: {a: 1}});
    expect(form.json()).toEqual({type: 'form', value: {q: 'a b'}});
    expect(undici.loads).toBe(0);
    expect(undiciLoaded()).toBe(false);

    const upload = await http.post('/echo', {multipart: {note: 'hi', file: {data: Buffer.from('abc'), filename: 'a.txt', contentType: 'text/plain'}}});
    expect(upload.status).toBe(200);
    expect(upload.json()).toEqual({type: 'multipart', value: {note: 'hi', file: {filename: 'a.txt', type: 'text/plain', text: 'abc'}}});
    expect(undici.loads).toBe(1);
    // The loading took LOAD_MS; the request's own time on loopback is a small part of that.
    expect(upload.elapsedMs).toBeLessThan(LOAD_MS / 2);
    // The cookie set by /login went with every later request, whichever way it went.
    const sessions = server.requests.slice(-3).map((r) => r.headers.cookie);
    expect(new Set(sessions).size).toBe(1);
    expect(sessions[0]).toMatch(/^session=/);
  });
});
