// Scenario mode's connections to one plain http:// origin, shared by a worker's users like undici's Pool
// (keep-alive, a new connection only when every open one is busy, at most `max`), over H1Connection:
// about twice cheaper a request than undici (bench/ measures it). Sessions fall back to undici for what
// H1Connection does not do (https, multipart bodies, unusual headers).
import {plainHttp, H1Connection} from './h1-connection.js';
import type {ConnectTimes} from './connect-times.js';
import type {HostGuard} from './host-guard.js';

export interface LeanResponse {
  readonly status: number;
  /** The head as received: parseHeaders() makes headers of it when they are asked for. */
  readonly head: string;
  readonly setCookie?: string[];
  readonly location?: string;
  readonly body: Buffer;
  /** Body bytes received (`body` keeps at most maxBodyBytes of them). */
  readonly size?: number;
  /** Time spent opening the connection for this request (0 on a kept-alive one): not part of its latency. */
  readonly connectMs: number;
  /** When the response ended (performance.now() ms); 0 for a failure. */
  readonly endedAt: number;
  /** A failure without a response, with undici's codes (classified as on the undici path). */
  readonly error?: unknown;
}

/** Who a request's outcome goes to: an object rather than a callback, so that a request needs no closure of its own. */
export interface H1Receiver {
  h1Done(response: LeanResponse): void;
}

interface Waiting {
  readonly bytes: Buffer | string;
  readonly isHead: boolean;
  readonly timeoutMs: number;
  readonly queuedAt: number;
  readonly to: H1Receiver;
}

const EMPTY = Buffer.alloc(0);

/** One connection and the request it is serving. */
class Lane {
  to: H1Receiver | undefined;
  readonly conn: H1Connection;

  constructor(host: string, port: number, maxBodyBytes: number, done: (lane: Lane) => void, connects?: ConnectTimes, guard?: HostGuard) {
    this.conn = new H1Connection(
      host,
      port,
      EMPTY,
      false,
      (status, error) => {
        const to = this.to!;
        this.to = undefined;
        const {conn} = this;
        const response: LeanResponse =
          error === undefined
            ? {
                status,
                head: conn.headText,
                setCookie: conn.setCookie,
                location: conn.location,
                body: conn.body(),
                size: conn.bodyBytes,
                connectMs: conn.connectMs,
                endedAt: conn.endedAt,
              }
            : failure(error, conn.connectMs);
        done(this);
        to.h1Done(response);
      },
      {maxBodyBytes},
      connects,
      guard,
    );
  }
}

export class H1Pool {
  private readonly idle: Lane[] = [];
  private readonly all: Lane[] = [];
  private readonly waiting: Waiting[] = [];
  private waitingFrom = 0;
  private closed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly max: number,
    private readonly maxBodyBytes: number,
    private readonly connects?: ConnectTimes,
    private readonly guard?: HostGuard,
  ) {}

  /** `http://host:port` → a pool; undefined for any other scheme. `guard`: see H1Connection. */
  static for(origin: string, max: number, maxBodyBytes: number, connects?: ConnectTimes, guard?: HostGuard): H1Pool | undefined {
    const at = plainHttp(origin);
    return at && new H1Pool(at.host, at.port, max, maxBodyBytes, connects, guard);
  }

  /**
   * Sends `bytes` (a whole request, `host` included; a string is latin-1) and hands `to` the response, or the
   * failure, once. `timeoutMs` covers the wait for a free connection too. Not a promise: the caller has its own
   * promise to settle, and one a request is enough. `now`: see H1Connection.send.
   */
  request(bytes: Buffer | string, isHead: boolean, timeoutMs: number, to: H1Receiver, now?: number): void {
    if (this.closed) return to.h1Done(destroyed());
    const lane = this.idle.pop() ?? (this.all.length < this.max ? this.open() : undefined);
    if (lane) this.send(lane, bytes, isHead, timeoutMs, to, now);
    else this.waiting.push({bytes, isHead, timeoutMs, queuedAt: performance.now(), to});
  }

  /** Ends every connection; requests still pending or waiting end with undici's "destroyed" error. */
  close(): void {
    this.closed = true;
    for (const lane of this.all) lane.conn.close();
    for (let i = this.waitingFrom; i < this.waiting.length; i++) this.waiting[i].to.h1Done(destroyed());
    this.waiting.length = 0;
  }

  private open(): Lane {
    const lane = new Lane(this.host, this.port, this.maxBodyBytes, this.release, this.connects, this.guard);
    this.all.push(lane);
    return lane;
  }

  private send(lane: Lane, bytes: Buffer | string, isHead: boolean, timeoutMs: number, to: H1Receiver, now?: number): void {
    lane.to = to;
    lane.conn.send(timeoutMs, bytes, isHead, now);
  }

  /** A lane finished its request: the oldest waiting request takes it, if its time has not run out meanwhile. */
  private readonly release = (lane: Lane): void => {
    while (this.waitingFrom < this.waiting.length && !this.closed) {
      const next = this.waiting[this.waitingFrom++];
      if (this.waitingFrom === this.waiting.length) {
        this.waiting.length = 0;
        this.waitingFrom = 0;
      }
      const left = next.timeoutMs - (performance.now() - next.queuedAt);
      // Under a millisecond left: it could not be answered in time, and would only open a connection for nothing.
      if (left < 1) {
        next.to.h1Done(failure(Object.assign(new Error('Headers Timeout Error'), {code: 'UND_ERR_HEADERS_TIMEOUT'})));
        continue;
      }
      // Handed over in a microtask: the lane's own request is still settling.
      queueMicrotask(() => {
        if (this.closed) next.to.h1Done(destroyed());
        else this.send(lane, next.bytes, next.isHead, Math.ceil(left), next.to);
      });
      return;
    }
    this.idle.push(lane);
  };
}

/** A request that ended without a response; `connectMs`: what it spent opening a connection first. */
function failure(error: unknown, connectMs = 0): LeanResponse {
  return {status: 0, head: '', body: EMPTY, connectMs, endedAt: 0, error};
}

function destroyed(): LeanResponse {
  return failure(Object.assign(new Error('The client is destroyed'), {code: 'UND_ERR_DESTROYED'}));
}
