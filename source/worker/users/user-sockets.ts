// A virtual user's WebSockets and event streams: what a scenario's `ws` and `sse` are. Paths resolve against the
// base URL as requests do; the handshake carries the user's cookies and default headers. Every socket the user
// holds is counted in the worker's gauge while open, and closed when the user ends (or its worker stops).
import {performance} from 'node:perf_hooks';
import type {Sse, SseStream, Ws, WsConnectOptions, WsSocket, SocketOptions} from '../../scenario/types.js';
import type {Recorder} from '../recorder.js';
import type {HostGuard} from '../http/host-guard.js';
import {classifyError, failureMessage} from '../http/classify.js';
import {appendQuery} from '../http/request-body.js';
import {handshakeFailure, openWebSocket, type OpenedWs} from '../http/ws-client.js';
import {openEventStream, type OpenedStream} from '../http/sse-client.js';
import {endpointName, UserStopped, type Session} from './session.js';
import {counted, type SocketOwner} from './socket-owner.js';
import {BrinkWebSocket} from './ws-socket.js';
import {BrinkEventStream} from './sse-stream.js';

export interface SocketSettings {
  readonly baseUrl: string;
  /** The run's `--timeout`: the handshake's and next()'s default. */
  readonly timeoutMs: number;
  readonly insecure: boolean;
  readonly guard: HostGuard | undefined;
}

type Held = BrinkWebSocket | BrinkEventStream;

/** Where a socket goes: its URL to connect to, the same as http: or https: (for cookies), and its endpoint name. */
interface Resolved {
  readonly url: URL;
  readonly http: URL;
  readonly name: string;
  readonly timeoutMs: number;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const HTTP_OF: Readonly<Record<string, string>> = {'ws:': 'http:', 'wss:': 'https:', 'http:': 'http:', 'https:': 'https:'};
const WS_OF: Readonly<Record<string, string>> = {'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:'};

export class UserSockets implements SocketOwner {
  readonly ws: Ws;
  readonly sse: Sse;
  stopping = false;
  /** Open sockets, each with its place in the order they opened (taskStart()'s mark sets the task's apart). */
  private readonly held = new Map<Held, number>();
  private opened = 0;
  private taskMark = 0;
  /** The user ended: a handshake that completes now is closed at once. */
  private ended = false;

  constructor(
    /** The user's session now (a task abandoned after the task timeout leaves it for a fork). */
    private readonly session: () => Session,
    private readonly settings: SocketSettings,
    private readonly recorder: Recorder,
  ) {
    this.ws = {connect: (path, options) => this.connectWs(path, options)};
    this.sse = {connect: (path, options) => this.connectSse(path, options)};
  }

  get timeoutMs(): number {
    return this.settings.timeoutMs;
  }

  forget(socket: unknown): void {
    if (this.held.delete(socket as Held)) this.recorder.socket(-1);
  }

  warn(text: string): void {
    this.recorder.warn(text);
  }

  /**
   * The user was asked to stop: a next() in progress finishes (its message or event is counted, as a request in
   * flight is), and so may the wait for a send's answer or a stream's first event; nothing new opens, no other wait
   * starts, and the sockets close when the user ends.
   */
  stop(): void {
    this.stopping = true;
  }

  /** onStop runs: it may still use the sockets it has (a goodbye message). */
  resume(): void {
    this.stopping = false;
  }

  /** The user ended, or its worker stops: every socket it still holds is closed. */
  shut(): void {
    this.ended = true;
    for (const s of [...this.held.keys()]) s.shut();
  }

  /** A task (or onStart) starts: the sockets it opens are told apart from those the user held before. */
  taskStart(): void {
    this.taskMark = this.opened;
  }

  /**
   * The task ended with an exception (a ws_timeout, a failed handshake of a second socket, a throw): the sockets
   * it opened and did not close are closed, or each failing run would leak one. Those opened before it stay.
   */
  taskFailed(): void {
    for (const [socket, n] of [...this.held]) if (n > this.taskMark) socket.shut();
  }

  private async connectWs(path: string, options: WsConnectOptions = {}): Promise<WsSocket> {
    if (this.stopping) throw new UserStopped('user stopped');
    const to = this.resolve('WS', path, options, WS_OF);
    const {protocols = []} = options;
    const key = `WS ${to.name}`;
    const roundTrips = this.recorder.endpoint('WS', to.name);
    const connects = this.recorder.endpoint('WS', `${to.name} (connect)`);
    const session = this.session();
    const started = performance.now();
    let opened: OpenedWs;
    try {
      opened = await openWebSocket(to.url, {
        headers: session.socketHeaders(to.http, options.headers),
        protocols: typeof protocols === 'string' ? [protocols] : protocols,
        timeoutMs: to.timeoutMs,
        insecure: this.settings.insecure,
        guard: this.settings.guard,
      });
    } catch (error) {
      const f = handshakeFailure(error, to.timeoutMs);
      connects.record((performance.now() - started) * 1000, f.status, f.kind, f.message);
      throw counted(`${key}: ${f.message} (${f.kind})`);
    }
    connects.record((performance.now() - started) * 1000, 101);
    if (opened.setCookie) session.keepCookies(opened.setCookie, to.http.href);
    const socket = new BrinkWebSocket(opened.socket, key, roundTrips, connects, this);
    // Asked to stop while it connected: a socket it may not send on (send() refuses) is closed now (1001, as the
    // user's others will be), not held and counted as opened. Its handshake is counted above, as the server saw it.
    if (this.ended || this.stopping) {
      socket.shut();
      throw new UserStopped('user stopped');
    }
    return this.hold(socket);
  }

  private async connectSse(path: string, options: SocketOptions = {}): Promise<SseStream> {
    if (this.stopping) throw new UserStopped('user stopped');
    const to = this.resolve('SSE', path, options, HTTP_OF);
    if (to.url.protocol !== 'http:' && to.url.protocol !== 'https:')
      throw new TypeError(`sse.connect('${path}'): an event stream is an http: or https: URL`);
    const key = `SSE ${to.name}`;
    const stream = this.recorder.endpoint('SSE', to.name);
    const gaps = this.recorder.endpoint('SSE', `${to.name} (gap)`);
    if (gaps.method === 'SSE') gaps.gaps = true; // not the overflow row, which holds requests
    const session = this.session();
    const sentAt = performance.now();
    let opened: OpenedStream;
    try {
      opened = await openEventStream(to.url, {
        headers: session.socketHeaders(to.http, options.headers),
        timeoutMs: to.timeoutMs,
        insecure: this.settings.insecure,
        guard: this.settings.guard,
      });
    } catch (error) {
      const kind = classifyError(error);
      const message = failureMessage(kind, error, to.timeoutMs);
      stream.record((performance.now() - sentAt) * 1000, 0, kind, message);
      throw counted(`${key}: ${message} (${kind})`);
    }
    const headAt = performance.now();
    const {request, response} = opened;
    const setCookie = response.headers['set-cookie'];
    if (setCookie) session.keepCookies(setCookie, to.http.href);
    const problem = notAStream(response.statusCode ?? 0, response.headers['content-type']);
    if (problem) {
      request.destroy();
      stream.record((performance.now() - sentAt) * 1000, response.statusCode ?? 0, problem.kind, problem.message);
      throw counted(`${key}: ${problem.message} (${problem.kind})`);
    }
    if (this.ended) {
      request.destroy();
      throw new UserStopped('user stopped');
    }
    return this.hold(new BrinkEventStream(request, response, key, stream, gaps, sentAt, headAt, this));
  }

  private hold<T extends Held>(socket: T): T {
    this.held.set(socket, ++this.opened);
    this.recorder.socket(1);
    return socket;
  }

  /** The URL (its scheme mapped by `scheme`), the same as http(s), the endpoint's name, the handshake's timeout. */
  private resolve(method: string, path: string, options: SocketOptions, scheme: Readonly<Record<string, string>>): Resolved {
    if (typeof path !== 'string') throw new TypeError(`${method.toLowerCase()}.connect(): the path is a string, not ${typeof path}`);
    const base = new URL(this.settings.baseUrl);
    const basePath = base.pathname.replace(/\/$/, '');
    const url = SCHEME.test(path) ? new URL(path) : new URL(basePath + (path.startsWith('/') ? path : `/${path}`), base.origin);
    if (!scheme[url.protocol] || !HTTP_OF[url.protocol])
      throw new TypeError(`${method.toLowerCase()}.connect('${path}'): ${url.protocol} is not a scheme it connects to`);
    if (options.query) appendQuery(url, options.query);
    const http = new URL(url);
    http.protocol = HTTP_OF[url.protocol];
    url.protocol = scheme[url.protocol];
    const name = options.name !== undefined ? endpointName(method, options.name) : http.pathname;
    const seconds = options.timeout;
    if (seconds !== undefined && (typeof seconds !== 'number' || !(seconds > 0)))
      throw new TypeError(`${method.toLowerCase()}.connect(): timeout is in seconds, a number above 0 (got ${String(seconds)})`);
    const timeoutMs = seconds === undefined ? this.settings.timeoutMs : Math.min(seconds * 1000, 2 ** 31 - 1);
    return {url, http, name, timeoutMs};
  }
}

/** Why a response is not an event stream to read (a status other than 2xx, another content type); undefined when it is one. */
function notAStream(status: number, type: string | undefined): {kind: string; message: string} | undefined {
  if (status >= 400) return {kind: `http_${status}`, message: `HTTP ${status}`};
  if (status < 200 || status >= 300) return {kind: 'protocol', message: `HTTP ${status}: an event stream does not follow redirects`};
  if (!/^\s*text\/event-stream/i.test(type ?? ''))
    return {kind: 'protocol', message: `HTTP ${status} with content-type ${type || '(none)'}, not text/event-stream`};
  return undefined;
}
