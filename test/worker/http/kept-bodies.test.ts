// The body scenario mode keeps of each response is the bytes the server sent, whatever the reads it came in: short
// ones (copied byte by byte), long ones, one split over several reads, chunked, empty; and nothing of one response
// is left in the next on a kept-alive connection. A raw TCP server writes each response in the pieces it is given.
import {createServer, type Server, type Socket} from 'node:net';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {H1Pool, type LeanResponse} from '../../../source/worker/http/h1-pool.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const bytes = (n: number, seed: number) => Buffer.from(Array.from({length: n}, (_, i) => (i * 7 + seed) % 251));

/** Each request's path names a response: its pieces, written with a pause between them so that each is a read. */
const responses = new Map<string, Buffer[]>();
let server: Server;
let port = 0;
let connections = 0;

function respond(socket: Socket, pieces: Buffer[]): Promise<void> {
  return pieces.reduce<Promise<void>>(async (before, piece) => {
    await before;
    socket.write(piece);
    await sleep(15);
  }, Promise.resolve());
}

beforeAll(async () => {
  server = createServer((socket) => {
    connections++;
    let pending = '';
    let queue = Promise.resolve();
    socket.on('data', (data) => {
      pending += data.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const path = pending.slice(4, pending.indexOf(' ', 4));
        pending = pending.slice(end + 4);
        queue = queue.then(() => respond(socket, responses.get(path)!));
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** One request over `pool`, its answer (a response or a failure). */
function get(pool: H1Pool, path: string): Promise<LeanResponse> {
  return new Promise((resolve) => pool.request(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`, false, 5000, {h1Done: resolve}));
}

const head = (extra: string) => Buffer.from(`HTTP/1.1 200 OK\r\n${extra}\r\n`, 'latin1');
const withLength = (body: Buffer) => head(`content-length: ${body.length}\r\n`);

describe('kept bodies', () => {
  it('are the bytes sent, in whatever reads they came, and none of one is left in the next', async () => {
    const long = bytes(3000, 3);
    const short = bytes(40, 5);
    const edge = bytes(64, 9);
    const past = bytes(65, 11);
    const cases: Array<[string, Buffer[], Buffer]> = [
      ['/short-one-read', [Buffer.concat([withLength(short), short])], short],
      ['/edge', [Buffer.concat([withLength(edge), edge])], edge],
      ['/past-edge', [Buffer.concat([withLength(past), past])], past],
      ['/empty', [withLength(Buffer.alloc(0))], Buffer.alloc(0)],
      // The head alone, then the body in three reads.
      ['/split', [withLength(long), long.subarray(0, 10), long.subarray(10, 1000), long.subarray(1000)], long],
      // Head and the first bytes together, then the rest.
      ['/head-and-start', [Buffer.concat([withLength(short), short.subarray(0, 7)]), short.subarray(7)], short],
      // Chunked, a chunk a read.
      [
        '/chunked',
        [
          head('transfer-encoding: chunked\r\n'),
          Buffer.concat([Buffer.from(`${(20).toString(16)}\r\n`), long.subarray(0, 20), Buffer.from('\r\n')]),
          Buffer.concat([Buffer.from(`${(980).toString(16)}\r\n`), long.subarray(20, 1000), Buffer.from('\r\n')]),
          Buffer.from('0\r\n\r\n'),
        ],
        long.subarray(0, 1000),
      ],
      // After the long ones: a short body on the same connection holds only its own bytes.
      ['/short-again', [Buffer.concat([withLength(edge.subarray(0, 3)), edge.subarray(0, 3)])], edge.subarray(0, 3)],
    ];
    for (const [path, pieces] of cases) responses.set(path, pieces);
    const pool = H1Pool.for(`http://127.0.0.1:${port}`, 1, 1 << 20)!;
    const before = connections;
    try {
      for (const [path, , body] of cases) {
        const res = await get(pool, path);
        expect(res.error, path).toBeUndefined();
        expect(res.status, path).toBe(200);
        expect(res.body.equals(body), path).toBe(true);
        expect(res.size, path).toBe(body.length);
      }
    } finally {
      pool.close();
    }
    expect(connections - before).toBe(1);
  });

  it('a short body is a Buffer of its own: the next read does not change it', async () => {
    const first = bytes(30, 1);
    const second = bytes(30, 2);
    responses.set('/first', [Buffer.concat([withLength(first), first])]);
    responses.set('/second', [Buffer.concat([withLength(second), second])]);
    const pool = H1Pool.for(`http://127.0.0.1:${port}`, 1, 1 << 20)!;
    try {
      const a = await get(pool, '/first');
      const kept = Buffer.from(a.body);
      const b = await get(pool, '/second');
      expect(a.body.equals(kept)).toBe(true);
      expect(b.body.equals(second)).toBe(true);
    } finally {
      pool.close();
    }
  });
});
