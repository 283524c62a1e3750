// brink's HTTP/1.1 client reading response heads: lenient where real servers are (no reason phrase, bare-LF line
// ends, a head in pieces), strict where framing cannot be trusted (conflicting lengths, both framings at once).
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Socket} from 'node:net';
import {release, startRawServer, type Counted} from '../../helpers/misbehaving-server.js';
import {H1Connection} from '../../../source/worker/http/h1-connection.js';
import {classifyError} from '../../../source/worker/http/classify.js';

/** What the server writes for each path: one string, or pieces written 5 ms apart. */
const ROUTES: Record<string, string | string[]> = {
  '/no-reason': 'HTTP/1.1 200\r\ncontent-length: 2\r\n\r\nok',
  '/no-reason-no-headers': 'HTTP/1.1 204\r\n\r\n',
  '/bare-lf': 'HTTP/1.1 200 OK\ncontent-length: 2\nx-a: b\n\nok',
  '/bare-lf-crlf-body': 'HTTP/1.1 200 OK\ncontent-length: 6\n\n\r\n\r\nok',
  '/mixed': 'HTTP/1.1 200 OK\r\nx-a: b\ncontent-length: 2\n\r\nok',
  '/bare-lf-in-pieces': ['HTTP/1.1 200 OK\n', 'content-length: 2\n', '\n', 'ok'],
  '/crlf-in-pieces': ['HTTP/1.1 200 OK\r', '\ncontent-length: 2\r\n\r', '\nok'],
  '/interim': 'HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\ncontent-length: 2\n\nok',
  '/conflicting-length': 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nok',
  '/same-length-twice': 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 2\r\n\r\nok',
  '/length-and-chunked': 'HTTP/1.1 200 OK\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
  '/garbage': 'HTTP/1.1 2000 OK\r\n\r\n',
  // Header names in any case, a length between spaces and tabs.
  '/shouting': 'HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 2\r\nCONNECTION: Keep-Alive\r\n\r\nok',
  '/length-spaced': 'HTTP/1.1 200 OK\r\nContent-Length: \t 2 \t\r\n\r\nok',
  '/length-signed': 'HTTP/1.1 200 OK\r\ncontent-length: +2\r\n\r\nok',
  '/length-empty': 'HTTP/1.1 200 OK\r\ncontent-length: \r\n\r\nok',
  '/length-too-long': 'HTTP/1.1 200 OK\r\ncontent-length: 1234567890123456\r\n\r\nok',
  '/close-shouted': 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\nConnection: CLOSE\r\n\r\nok',
  '/chunked-shouted': 'HTTP/1.1 200 OK\r\nTRANSFER-ENCODING: Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
  '/moved': 'HTTP/1.1 302 Found\r\nLOCATION:  /next \r\nSet-Cookie: a=1\r\nSET-COOKIE: b=2\r\ncontent-length: 0\r\n\r\n',
  // Status lines and header lines that cannot be read.
  '/short-status': 'HTTP/1.1 20\r\n\r\n',
  '/status-not-digits': 'HTTP/1.1 2x0 OK\r\ncontent-length: 2\r\n\r\nok',
  '/status-exponent': 'HTTP/1.1 1e2 OK\r\ncontent-length: 2\r\n\r\nok',
  '/not-http1': 'HTTP/2.0 200 OK\r\ncontent-length: 2\r\n\r\nok',
  '/no-colon': 'HTTP/1.1 200 OK\r\ncontent-length 2\r\n\r\nok',
  '/silent': [],
};

let server: Counted;
beforeAll(async () => {
  server = await startRawServer({
    respond(s: Socket, req) {
      const out = ROUTES[req.path];
      const pieces = Array.isArray(out) ? out : [out];
      if (pieces.length === 0) return; // holds the request unanswered
      const next = (i: number) => {
        if (s.destroyed) return;
        s.write(pieces[i]);
        if (i + 1 < pieces.length) setTimeout(() => next(i + 1), 5);
        else release(s);
      };
      next(0);
    },
  });
});
afterAll(async () => {
  await server.close();
});

function get(path: string): Promise<{status: number; kind?: string; body: string}> {
  return new Promise((resolve) => {
    const conn = new H1Connection(
      '127.0.0.1',
      server.port,
      `GET ${path} HTTP/1.1\r\nhost: x\r\n\r\n`,
      false,
      (status, error) => {
        const body = conn.body().toString();
        conn.close();
        resolve(error === undefined ? {status, body} : {status, kind: classifyError(error), body});
      },
      {maxBodyBytes: 1024},
    );
    conn.send(2000);
  });
}

describe('the h1 client reads', () => {
  it.each([
    ['/no-reason', 200, 'ok'],
    ['/no-reason-no-headers', 204, ''],
    ['/bare-lf', 200, 'ok'],
    ['/bare-lf-crlf-body', 200, '\r\n\r\nok'],
    ['/mixed', 200, 'ok'],
    ['/bare-lf-in-pieces', 200, 'ok'],
    ['/crlf-in-pieces', 200, 'ok'],
    ['/interim', 200, 'ok'],
    ['/same-length-twice', 200, 'ok'],
    ['/shouting', 200, 'ok'],
    ['/length-spaced', 200, 'ok'],
    ['/close-shouted', 200, 'ok'],
    ['/chunked-shouted', 200, 'ok'],
  ])('%s: %i %j', async (path, status, body) => {
    expect(await get(path)).toEqual({status, body});
  });

  it.each([
    '/conflicting-length',
    '/length-and-chunked',
    '/garbage',
    '/length-signed',
    '/length-empty',
    '/length-too-long',
    '/short-status',
    '/status-not-digits',
    '/status-exponent',
    '/not-http1',
    '/no-colon',
  ])('%s: a protocol failure', async (path) => {
    expect(await get(path)).toMatchObject({status: 0, kind: 'protocol'});
  });

  it('keeps a Location and every Set-Cookie whatever their case, and the head as it came', async () => {
    const got = await new Promise<{status: number; location?: string; setCookie?: string[]; head: string}>((resolve) => {
      const conn = new H1Connection(
        '127.0.0.1',
        server.port,
        'GET /moved HTTP/1.1\r\nhost: x\r\n\r\n',
        false,
        (status) => {
          resolve({status, location: conn.location, setCookie: conn.setCookie, head: conn.headText});
          conn.close();
        },
        {maxBodyBytes: 1024},
      );
      conn.send(2000);
    });
    expect(got).toEqual({
      status: 302,
      location: '/next',
      setCookie: ['a=1', 'b=2'],
      head: 'HTTP/1.1 302 Found\r\nLOCATION:  /next \r\nSet-Cookie: a=1\r\nSET-COOKIE: b=2\r\ncontent-length: 0',
    });
  });

  it('a Connection: close in capitals closes the connection after its response, as a lower-case one does', async () => {
    const before = server.accepted;
    const statuses: number[] = [];
    await new Promise<void>((resolve) => {
      const conn = new H1Connection('127.0.0.1', server.port, 'GET /close-shouted HTTP/1.1\r\nhost: x\r\n\r\n', false, (status) => {
        statuses.push(status);
        if (statuses.length < 2) conn.send(2000);
        else {
          conn.close();
          resolve();
        }
      });
      conn.send(2000);
    });
    expect(statuses).toEqual([200, 200]);
    expect(server.accepted - before).toBe(2); // a new connection for the second request
  });
});

describe('the h1 client times each request on a kept-alive connection', () => {
  it("a request with a shorter timeout than the one before it fails at its own deadline, not at the earlier one's", async () => {
    let conn: H1Connection | undefined;
    const outcomes: Array<{status: number; kind?: string; ms: number}> = [];
    let sentAt = 0;
    await new Promise<void>((resolve) => {
      conn = new H1Connection('127.0.0.1', server.port, '', false, (status, error) => {
        outcomes.push({status, ...(error === undefined ? {} : {kind: classifyError(error)}), ms: performance.now() - sentAt});
        if (outcomes.length === 1) {
          sentAt = performance.now();
          conn!.send(150, 'GET /silent HTTP/1.1\r\nhost: x\r\n\r\n');
        } else resolve();
      });
      sentAt = performance.now();
      conn.send(5000, 'GET /no-reason HTTP/1.1\r\nhost: x\r\n\r\n');
    });
    conn!.close();
    expect(outcomes[0]).toMatchObject({status: 200});
    expect(outcomes[1]).toMatchObject({status: 0, kind: 'timeout'});
    expect(outcomes[1].ms).toBeGreaterThanOrEqual(149);
    expect(outcomes[1].ms).toBeLessThan(1500); // the first request's timer would have waited 5 s
  });

  it('a request sent after the timer was armed for an earlier one still times out on time', async () => {
    let conn: H1Connection | undefined;
    let sentAt = 0;
    const outcomes: Array<{status: number; kind?: string; ms: number}> = [];
    await new Promise<void>((resolve) => {
      conn = new H1Connection('127.0.0.1', server.port, '', false, (status, error) => {
        outcomes.push({status, ...(error === undefined ? {} : {kind: classifyError(error)}), ms: performance.now() - sentAt});
        if (outcomes.length === 1) {
          // The same timeout as before: the timer armed for the first request is the one that fires, and must wait on.
          setTimeout(() => {
            sentAt = performance.now();
            conn!.send(300, 'GET /silent HTTP/1.1\r\nhost: x\r\n\r\n');
          }, 100);
        } else resolve();
      });
      sentAt = performance.now();
      conn.send(300, 'GET /no-reason HTTP/1.1\r\nhost: x\r\n\r\n');
    });
    conn!.close();
    expect(outcomes[1]).toMatchObject({status: 0, kind: 'timeout'});
    expect(outcomes[1].ms).toBeGreaterThanOrEqual(299); // not cut short by the first request's timer (due at ~300 ms from its start)
    expect(outcomes[1].ms).toBeLessThan(1500);
  });
});
