// Public types of the scenario API. Everything a scenario author touches is typed here,
// so an editor can autocomplete `({http, data, pick}) => http.post(...)`.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** A file part of a multipart body: bytes made in the scenario, a file name and a content type. */
export interface FilePart {
  readonly filename: string;
  readonly data: Uint8Array | string;
  readonly contentType?: string;
}

export type MultipartValue = string | number | boolean | FilePart;

/** The answer to a check: true (or undefined) passes; false or a string fails, the string being the reason. */
export type CheckResult = boolean | string | undefined | void;

export interface RequestOptions {
  /** Groups dynamic URLs under one endpoint, e.g. `GET /products/:id`. Without it: method + path without the query. */
  readonly name?: string;
  readonly query?: Readonly<Record<string, string | number | boolean | ReadonlyArray<string | number>>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON with `content-type: application/json`. */
  readonly json?: unknown;
  /** Sent urlencoded, like an HTML form post. */
  readonly form?: Readonly<Record<string, string | number | boolean>>;
  /** Sent as multipart/form-data; file parts are `{filename, data, contentType}`. */
  readonly multipart?: Readonly<Record<string, MultipartValue | ReadonlyArray<MultipartValue>>>;
  /** A raw body. */
  readonly body?: string | Uint8Array;
  /** Follow redirects (default true, up to 10 hops; cookies are kept on every hop). */
  readonly redirect?: boolean;
  /** Per-request timeout in seconds (default: the run's `--timeout`, 30 s). */
  readonly timeout?: number;
  /** Status codes that count as success, e.g. `404` for a lookup that may miss. Default: any status < 400. */
  readonly expect?: number | ReadonlyArray<number>;
  /** A check run on the response: return false or a reason string to mark it failed (kind `check`). */
  readonly check?: (response: Response) => CheckResult;
}

export interface Response {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The final URL after redirects. */
  readonly url: string;
  /** Latency in milliseconds, from the request being sent to the last byte of the body. */
  readonly elapsedMs: number;
  /** True when the request failed (unexpected status, a failed check, or a transport error). */
  readonly failed: boolean;
  /** The failure reason, if failed. */
  readonly failure?: string;
  /** The body as text (bodies over the size cap are truncated; see `--max-body`). */
  text(): string;
  /** The body parsed as JSON; throws (a `script` failure) when it is not JSON. */
  json<T = any>(): T;
  /** Marks this response failed (kind `check`) when `ok` is false. Returns `ok`. Locust's `catch_response`. */
  check(ok: unknown, reason?: string): boolean;
  /** Marks this response failed (kind `check`) with a reason. */
  fail(reason: string): void;
  /** Accepts this response as a success even if its status is ≥ 400 (e.g. an expected 404). */
  success(): void;
  /** The value of a form field in an HTML page, e.g. `csrfmiddlewaretoken`; undefined when absent. */
  formField(name: string): string | undefined;
}

export interface Http {
  get(path: string, options?: RequestOptions): Promise<Response>;
  head(path: string, options?: RequestOptions): Promise<Response>;
  delete(path: string, options?: RequestOptions): Promise<Response>;
  post(path: string, options?: RequestOptions): Promise<Response>;
  put(path: string, options?: RequestOptions): Promise<Response>;
  patch(path: string, options?: RequestOptions): Promise<Response>;
  request(method: HttpMethod, path: string, options?: RequestOptions): Promise<Response>;
  /** Sends `Authorization: Bearer <token>` on every later request of this user. */
  bearer(token: string | undefined): void;
  /** Sets (or with undefined, removes) a default header for every later request of this user. */
  setHeader(name: string, value: string | undefined): void;
  /** The base URL (from `--host` or the scenario's `host`). */
  readonly baseUrl: string;
  /** The value of a cookie this user holds for the base URL. */
  cookie(name: string): string | undefined;
  /** Forgets every cookie of this user (e.g. to log out). */
  clearCookies(): void;
}

/** Options of `ws.connect()` and `sse.connect()`. */
export interface SocketOptions {
  /**
   * The endpoint's name, e.g. `WS /chat/:room` or `SSE /events`. Without it: the path without the query. A WebSocket's
   * handshakes are counted under `<name> (connect)`, its round trips under the name; an event stream's time to first
   * event under the name, the gaps between its events under `<name> (gap)`.
   */
  readonly name?: string;
  readonly query?: RequestOptions['query'];
  /** Headers of the handshake (WebSocket) or the request (SSE), after the user's own (`http.setHeader`, `http.bearer`) and cookies. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Seconds to wait for the handshake (WebSocket) or the response head (SSE); default the run's `--timeout`. */
  readonly timeout?: number;
}

export interface WsConnectOptions extends SocketOptions {
  /** Subprotocols offered in `Sec-WebSocket-Protocol`. */
  readonly protocols?: string | ReadonlyArray<string>;
}

export interface NextOptions {
  /** Seconds to wait (default: the run's `--timeout`, 30 s). Nothing by then is a failure (`ws_timeout`, `sse_timeout`). */
  readonly timeout?: number;
}

/** A WebSocket message. */
export interface WsMessage {
  /** Text frames as a string, binary frames as bytes. */
  readonly data: string | Uint8Array;
  readonly binary: boolean;
  /** The round trip in ms when this message answered a `send()` (the first message to arrive after it), else undefined. */
  readonly elapsedMs: number | undefined;
  /** The data as text (binary frames decoded as UTF-8). */
  text(): string;
  /** The data parsed as JSON; throws (a script error) when it is not JSON. */
  json<T = any>(): T;
}

/** An open WebSocket of this user. It is closed when the user stops, if the script has not closed it. */
export interface WsSocket {
  /**
   * Sends a text (string) or binary (bytes) message. The first message to arrive after it is its answer: the round
   * trip is a latency sample under the socket's name (method `WS`).
   */
  send(data: string | Uint8Array | ArrayBuffer): void;
  /**
   * The next message: one that arrived already, or the next to arrive. Throws when none comes within the timeout
   * (counted as `ws_timeout`) or when the server closed the socket (counted as `ws_closed`): the task ends there
   * unless it catches.
   */
  next(options?: NextOptions): Promise<WsMessage>;
  /** Closes the socket (code 1000 unless given). A script's own close is never a failure. */
  close(code?: number, reason?: string): void;
  /** True until the socket closes (by the script, the server, or the user stopping). */
  readonly open: boolean;
  /** The subprotocol the server chose ('' when none). */
  readonly protocol: string;
}

export interface Ws {
  /**
   * Opens a WebSocket: a path is resolved against the base URL (`http` → `ws`, `https` → `wss`); an absolute
   * `ws://` or `wss://` URL is used as is. The user's cookies and default headers (e.g. `http.bearer`) go with the
   * handshake. A refused connection or a rejected handshake (kind `ws_handshake_<status>`, e.g. `ws_handshake_403`)
   * is counted under `<name> (connect)`, and throws: the task ends there unless it catches.
   */
  connect(path: string, options?: WsConnectOptions): Promise<WsSocket>;
}

/** A server-sent event. */
export interface SseEvent {
  /** The event's type (`message` when the server named none). */
  readonly event: string;
  readonly data: string;
  /** The event's `id:` field, if it had one. */
  readonly id: string | undefined;
  /** The data parsed as JSON; throws (a script error) when it is not JSON. */
  json<T = any>(): T;
}

/** An open event stream of this user. It is closed when the user stops, if the script has not closed it. */
export interface SseStream {
  /**
   * The next event: one that arrived already, or the next to arrive. Throws when none comes within the timeout
   * (counted as `sse_timeout`) or when the server ended the stream (counted as `sse_closed`).
   */
  next(options?: NextOptions): Promise<SseEvent>;
  /** Closes the stream. A script's own close is never a failure. */
  close(): void;
  /** True until the stream ends (closed by the script, ended by the server, or the user stopping). */
  readonly open: boolean;
}

export interface Sse {
  /**
   * Opens a server-sent event stream (`GET` with `Accept: text/event-stream`), with the user's cookies and default
   * headers. Its time to first event is a latency sample under its name (method `SSE`); the gaps between its events
   * are samples under `<name> (gap)`. A refused connection or a status other than 2xx is counted and throws.
   */
  connect(path: string, options?: SocketOptions): Promise<SseStream>;
}

/** A source of test data: each virtual user gets its own row (`data(feeder)`). */
export interface Feeder<Row = Record<string, string>> {
  readonly kind: 'feeder';
  rows(): ReadonlyArray<Row>;
}

export interface UserContext {
  readonly http: Http;
  /** WebSockets: `const sock = await ws.connect('/chat', {name: 'WS /chat'})`, then `sock.send()`, `await sock.next()`. */
  readonly ws: Ws;
  /** Server-sent events: `const stream = await sse.connect('/events')`, then `await stream.next()`. */
  readonly sse: Sse;
  /** This virtual user's number, unique in the run (0-based). */
  readonly userId: number;
  /** The user type's name. */
  readonly userType: string;
  /** Per-user state that lives as long as the user: tokens, ids created on start… */
  readonly vars: Record<string, any>;
  /** A random element. */
  pick<T>(items: ReadonlyArray<T>): T;
  /** A random integer in [min, max]. */
  randomInt(min: number, max: number): number;
  /** This user's own row of a feeder (row userId modulo the row count, so users do not share rows until rows run out). */
  data<Row>(feeder: Feeder<Row>): Row;
  /** Waits; counts as think time, not latency. */
  sleep(seconds: number): Promise<void>;
}

export type TaskFn = (ctx: UserContext) => unknown | Promise<unknown>;

export interface Task {
  readonly kind: 'task';
  readonly name: string;
  readonly weight: number;
  readonly fn: TaskFn;
}

/** Think time after each task. */
export type Wait =
  | {readonly kind: 'between'; readonly min: number; readonly max: number}
  | {readonly kind: 'constant'; readonly seconds: number}
  | {readonly kind: 'pacing'; readonly seconds: number};

export interface UserOptions {
  /** Share of the virtual users (default 1). */
  readonly weight?: number;
  /** Think time after each task (default: none). */
  readonly wait?: Wait;
  /** Runs once when the user starts, e.g. to log in. A failure here is counted and the user retries it. */
  readonly onStart?: TaskFn;
  /** Runs once when the user stops. */
  readonly onStop?: TaskFn;
  /** Headers sent on every request of this user type. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface UserType extends UserOptions {
  readonly kind: 'user';
  readonly name: string;
  readonly weight: number;
  readonly tasks: ReadonlyArray<Task>;
}

export interface ScenarioOptions {
  readonly name?: string;
  /** Default base URL when `--host` is not given. */
  readonly host?: string;
  /** Pass/fail thresholds, as on the command line: `['p95<800ms', 'POST /api/orders: errors<1%']`; `--threshold` adds to them. */
  readonly thresholds?: ReadonlyArray<string>;
  /** The load plan (`steps`, `stages`, `spike`, or the open model's `arrivals`); flags on the command line override it. */
  readonly plan?: import('../plan/plan.js').PlanSpec;
  /** Speak HTTP/2 (as `--http2` does): h2 by ALPN over https, by prior knowledge (h2c) over http://. */
  readonly http2?: boolean;
  readonly users: ReadonlyArray<UserType>;
}

export interface Scenario extends ScenarioOptions {
  readonly kind: 'scenario';
  readonly name: string;
}
