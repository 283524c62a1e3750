// HTTP/2 over undici, watched: the protocol each response came over, and whether a request that failed was
// ever processed by the server, so that one it never processed is sent again rather than counted a failure.
//
// What undici 7 (the line that runs on Node 20) does, found against nginx with `keepalive_requests 50`: on a
// GOAWAY it destroys the connection at once and fails every request in flight on it with one shared
// SocketError (`HTTP/2: "GOAWAY" frame received with code 0`), the streams the server did process (up to the
// GOAWAY's last stream id) and those it never will alike; it retries none. So a GOAWAY without an error is
// taken from it (adopt()): Node closes the session once the streams the server took are answered, and nghttp2
// fails those above the last stream id with REFUSED_STREAM. To be sure which attempt was which stream, the
// watch numbers them: a client's streams are numbered 1, 3, 5… in the order it opens them, and undici
// publishes `undici:client:sendHeaders` (its documented diagnostics channel) with the connection just before it
// opens each, right after the request's onRequestStart, in the same turn: so the n-th request written on a
// connection is its stream 2n - 1. The GOAWAY's last stream id comes from the connection's session.
import {subscribe, unsubscribe} from 'node:diagnostics_channel';
import type {EventEmitter} from 'node:events';
import type {ClientHttp2Session} from 'node:http2';
import type {Dispatcher} from 'undici';

/** What the watch learns of one attempt at a request: its connection and stream id, when it went over h2. */
export class Attempt {
  socket: object | undefined;
  streamId: number | undefined;
  /** The client it was given to; `goingAway` once that client's connection got a GOAWAY. */
  carrier: {readonly goingAway: boolean} | undefined;
}

/**
 * A request its client had not written when the client's connection got a GOAWAY: undici would write it on the
 * closing session, where Node throws (ERR_HTTP2_GOAWAY_SESSION, uncaught inside undici). It is stopped before
 * that, and sent again on another connection.
 */
export class GoingAway extends Error {
  override name = 'GoingAway';
  constructor() {
    super('the connection got a GOAWAY before this request was written');
  }
}

const SEND_HEADERS = 'undici:client:sendHeaders';

/** The key under which an attempt rides in a request's options, from H2Dispatcher to the interceptor. */
export const ATTEMPT = Symbol('brink h2 attempt');

export class H2Watch {
  /** Responses by the protocol they came over (`h2`, `http/1.1`), since the last take(). */
  private protocols = new Map<string, number>();
  /** Requests sent again because the server never processed them, since the last take(). */
  retries = 0;
  /** The attempt undici is about to write. */
  private writing: Attempt | undefined;
  /** Streams opened on each h2 connection so far. */
  private readonly opened = new WeakMap<object, number>();
  /** The last stream id of each h2 connection's GOAWAY. */
  private readonly lastStream = new WeakMap<object, number>();

  constructor() {
    subscribe(SEND_HEADERS, this.onSendHeaders);
  }

  /** Stops listening to undici (the worker's pools are closing). */
  close(): void {
    unsubscribe(SEND_HEADERS, this.onSendHeaders);
  }

  private readonly onSendHeaders = (message: unknown): void => {
    const attempt = this.writing;
    this.writing = undefined;
    const socket = (message as {socket?: {alpnProtocol?: unknown}}).socket;
    if (!socket || socket.alpnProtocol !== 'h2') return;
    const n = (this.opened.get(socket) ?? 0) + 1;
    this.opened.set(socket, n);
    if (attempt) {
      attempt.socket = socket;
      attempt.streamId = 2 * n - 1;
    }
  };

  /**
   * A connection undici has just taken (its session made, when it speaks h2). The session is found by the
   * symbol undici keeps it under: should a later undici keep it elsewhere, nothing is retried and failures
   * count as they come (test/engine/h2-goaway.test.ts would say so).
   *
   * undici 7 answers any GOAWAY by destroying the connection at once, failing the streams the server did
   * take (at or below the last stream id, e.g. the very request that made nginx say GOAWAY, whose answer
   * follows it) with the rest. A GOAWAY without an error is instead left to Node, as the protocol means it:
   * the session closes once its streams are done; nghttp2 refuses those above the last stream id
   * (REFUSED_STREAM, sent again: unprocessed()); `retire` stops new requests going to the client meanwhile.
   * A GOAWAY with an error code still goes to undici's own listener.
   */
  adopt(socket: object, retire: () => void): void {
    if ((socket as {alpnProtocol?: unknown}).alpnProtocol !== 'h2') return;
    const key = Object.getOwnPropertySymbols(socket).find((k) => k.description === 'http2Session');
    const session = key && (socket as Record<symbol, unknown>)[key];
    if (!isSession(session)) return;
    const undiciListeners = session.listeners('goaway') as Array<(...args: unknown[]) => void>;
    for (const listener of undiciListeners) session.removeListener('goaway', listener);
    session.on('goaway', (code: number, lastStreamId: number, ...rest: unknown[]) => {
      this.lastStream.set(socket, lastStreamId);
      if (code === 0) {
        retire();
        lingerOnEnd(socket as EventEmitter, 'onHttp2SocketEnd');
        lingerOnEnd(session, 'onHttp2SessionEnd');
        return;
      }
      for (const listener of undiciListeners) listener.call(session, code, lastStreamId, ...rest);
    });
  }

  /** Whether a failed attempt is one the server promised it never processed: safe to send again, whatever its method. */
  unprocessed(attempt: Attempt, error: unknown): boolean {
    if (error instanceof GoingAway) return true;
    const {socket, streamId} = attempt;
    if (!socket || streamId === undefined) return false;
    const e = error as {code?: unknown; message?: unknown} | undefined;
    if (e?.code === 'ERR_HTTP2_STREAM_ERROR' && String(e.message).includes('NGHTTP2_REFUSED_STREAM')) return true;
    // Node refuses a new stream on a session closing after a GOAWAY before any frame of it is sent.
    if (e?.code === 'ERR_HTTP2_GOAWAY_SESSION') return true;
    const last = this.lastStream.get(socket);
    return last !== undefined && streamId > last;
  }

  /** Wraps each request's handler: marks it as the one being written, and counts its response's protocol. */
  readonly interceptor: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (options, handler) => {
    const attempt = (options as {[ATTEMPT]?: Attempt})[ATTEMPT];
    return dispatch(options, attempt ? new Watched(handler, attempt, this) : handler);
  };

  /** undici is about to write this attempt (over h2 or HTTP/1.1). */
  starting(attempt: Attempt): void {
    this.writing = attempt;
  }

  responded(attempt: Attempt): void {
    const protocol = attempt.streamId !== undefined ? 'h2' : 'http/1.1';
    this.protocols.set(protocol, (this.protocols.get(protocol) ?? 0) + 1);
  }

  /** The interval's counts; they start again from zero. */
  take(): {protocols: Record<string, number>; retries: number} {
    // Sent even when empty: a run with --http2 reports its protocols and retries, zero or not.
    const out = {protocols: Object.fromEntries(this.protocols), retries: this.retries};
    this.protocols = new Map();
    this.retries = 0;
    return out;
  }
}

/** How long undici's end-of-connection listener waits after a GOAWAY: Node closes the session before, once its streams are read. */
const LINGER_MS = 1000;

/**
 * After a GOAWAY the server closes the connection right after its last answer; undici destroys the connection
 * on that end at once, before Node has handed the last DATA frames to their streams (`other side closed`).
 * Its listener (found by name) runs later instead: by then Node has closed the session with its streams read.
 */
function lingerOnEnd(emitter: EventEmitter, name: string): void {
  for (const listener of emitter.listeners('end') as Array<(this: EventEmitter) => void>) {
    if (listener.name !== name) continue;
    emitter.removeListener('end', listener);
    emitter.once('end', () => setTimeout(() => listener.call(emitter), LINGER_MS).unref());
  }
}

function isSession(value: unknown): value is ClientHttp2Session {
  return typeof value === 'object' && value !== null && typeof (value as ClientHttp2Session).on === 'function';
}

/** A request's handler, passed through; it tells the watch when the request is written and when it is answered. */
class Watched implements Dispatcher.DispatchHandler {
  constructor(
    private readonly inner: Dispatcher.DispatchHandler,
    private readonly attempt: Attempt,
    private readonly watch: H2Watch,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    if (this.attempt.carrier?.goingAway) {
      controller.abort(new GoingAway());
      return;
    }
    this.watch.starting(this.attempt);
    this.inner.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>): void {
    this.inner.onRequestUpgrade?.(...args);
  }

  onResponseStart(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseStart']>>): void {
    if (args[1] >= 200) this.watch.responded(this.attempt);
    this.inner.onResponseStart?.(...args);
  }

  onResponseData(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseData']>>): void {
    this.inner.onResponseData?.(...args);
  }

  onResponseEnd(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseEnd']>>): void {
    this.inner.onResponseEnd?.(...args);
  }

  onResponseError(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseError']>>): void {
    this.inner.onResponseError?.(...args);
  }
}
