// Quick mode's user: one request back to back on a kept-alive connection, no cookies, no think time.
// The hot path is kept bare (no URL parsing, no header merging per request): it is what sets brink's ceiling.
// Against plain http:// targets each user owns one connection and writes a request prebuilt once as bytes,
// parsing the response just far enough to find its end (RawConnection, below): about 2× cheaper per
// request than undici's Pool.request (bench/ measures it). https and unusual headers go through undici.
import {connect, type Socket} from 'node:net';
import {performance} from 'node:perf_hooks';
import type {Pool} from 'undici';
import {classifyError, errorMessage} from './classify.js';
import {preciseTimeout, timeoutMessage} from './timeouts.js';
import {originOf} from './pools.js';
import type {RateLimit} from './rate-limit.js';
import type {EndpointStats} from './recorder.js';

export interface QuickRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs: number;
  /** --max-rps: each request waits for a slot first. */
  readonly limit?: RateLimit;
}

export class QuickUser {
  inFlight = 0;
  private stopRequested = false;
  private readonly options: Parameters<Pool['request']>[0];
  readonly done: Promise<void>;

  private readonly precise: boolean;
  private readonly timeoutMs: number;
  private readonly limit: RateLimit | undefined;

  /** The lean path's connection; undefined: requests go through undici. */
  private readonly raw: RawConnection | undefined;
  private started = 0;
  private finish: (() => void) | undefined;
  private iterationDone: (() => void) | undefined;

  /** `open`: no loop of its own; an arrival scheduler calls `iterate` (open model). */
  constructor(private readonly pool: Pool, req: QuickRequest, private readonly stats: EndpointStats, private readonly open = false) {
    this.timeoutMs = req.timeoutMs;
    this.limit = req.limit;
    this.precise = preciseTimeout(req.timeoutMs) !== undefined;
    this.options = {
      path: req.path,
      method: req.method as 'GET',
      headers: req.headers,
      body: req.body,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    };
    this.raw = RawConnection.for(pool, req, this.onRawDone);
    if (open) this.done = Promise.resolve();
    else if (this.raw) {
      this.done = new Promise((resolve) => { this.finish = resolve; });
      this.next();
    } else this.done = this.run();
  }

  get stopping(): boolean {
    return this.stopRequested;
  }

  stop(): void {
    this.stopRequested = true;
    // An idle open-model user, or a closed-loop one pausing after a failure, lets go of its connection now.
    if (this.raw && this.inFlight === 0) {
      this.raw.close();
      this.finish?.();
    }
  }

  /** Open model: one request whose latency counts from `dueAt` (performance.now() ms), not from when it went out. */
  async iterate(dueAt: number): Promise<void> {
    if (this.stopRequested) return;
    if (this.limit) await this.limit.take();
    if (this.raw) {
      if (this.stopRequested) return;
      return new Promise((resolve) => {
        this.iterationDone = resolve;
        this.issue(Math.min(dueAt, performance.now()));
      });
    }
    await this.send(Math.min(dueAt, performance.now()));
  }

  /** Lean path, closed loop: the next request, after the rate limit's slot when there is one. */
  private next(): void {
    if (this.stopRequested) return this.end();
    const wait = this.limit?.take();
    if (wait) void wait.then(() => (this.stopRequested ? this.end() : this.issue(performance.now())));
    else this.issue(performance.now());
  }

  private issue(started: number): void {
    this.inFlight++;
    this.started = started;
    this.raw!.send(this.timeoutMs);
  }

  private end(): void {
    this.raw?.close();
    this.finish?.();
  }

  /** A lean-path request ended: a response with its status, or a failure without one. */
  private readonly onRawDone = (status: number, error: unknown): void => {
    this.inFlight--;
    const latencyUs = (performance.now() - this.started) * 1000;
    const {stats} = this;
    if (error === undefined) {
      if (status < 400) stats.record(latencyUs, status);
      else stats.record(latencyUs, status, `http_${status}`, `HTTP ${status}`);
    } else {
      const kind = classifyError(error);
      stats.record(latencyUs, 0, kind, kind === 'timeout' ? timeoutMessage(this.timeoutMs, error) : errorMessage(error));
    }
    if (this.open) {
      const done = this.iterationDone;
      this.iterationDone = undefined;
      if (this.stopRequested) this.raw!.close();
      done?.();
    } else if (this.stopRequested) this.end();
    // A refused or reset connection fails in microseconds: pause briefly rather than spin the CPU.
    else if (error !== undefined) setTimeout(() => this.next(), 10);
    else this.next();
  };

  private async run(): Promise<void> {
    while (!this.stopRequested) {
      if (this.limit) await this.limit.take();
      // A refused or reset connection fails in microseconds: pause briefly rather than spin the CPU.
      if (!(await this.send(performance.now()))) await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** One request; false when it failed without a response. */
  private async send(started: number): Promise<boolean> {
    const {stats} = this;
    this.inFlight++;
    try {
      const res = await this.pool.request(this.precise ? {...this.options, signal: preciseTimeout(this.timeoutMs)} : this.options);
      // dump() resolves even when the body fails (a reset after the headers): catch the error to count it.
      // Its default limit (128 KiB) destroys the connection for bigger bodies, so lift it.
      let bodyError: unknown;
      res.body.once('error', (error) => { bodyError = error; });
      await res.body.dump({limit: Number.MAX_SAFE_INTEGER});
      if (bodyError !== undefined) throw bodyError;
      const status = res.statusCode;
      stats.record((performance.now() - started) * 1000, status, status >= 400 ? `http_${status}` : undefined, status >= 400 ? `HTTP ${status}` : undefined);
      return true;
    } catch (error) {
      const kind = classifyError(error);
      stats.record((performance.now() - started) * 1000, 0, kind, kind === 'timeout' ? timeoutMessage(this.timeoutMs, error) : errorMessage(error));
      return false;
    } finally {
      this.inFlight--;
    }
  }
}

// ------------------------------------------------------------------------------------------------
// The lean path: one keep-alive HTTP/1.1 connection per user, for plain http:// targets.

const CRLF2 = Buffer.from('\r\n\r\n');
/** Like undici's (and Node's) default: a response head larger than this is a protocol error. */
const MAX_HEAD_BYTES = 16 * 1024;
const MAX_LINE_BYTES = 4096;
/** Headers the lean path does not send itself: with these the request goes through undici, as before. */
const LEFT_TO_UNDICI = new Set(['connection', 'transfer-encoding', 'content-length', 'upgrade', 'expect', 'keep-alive']);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const enum Mode { Idle, Head, Length, Chunked, UntilClose }
const enum Chunk { Size, Data, DataEnd, Trailer }

function httpError(code: string, message: string): Error {
  return Object.assign(new Error(message), {code});
}

/** The request as bytes, once; undefined when it needs something only undici does. */
function requestBytes(req: QuickRequest): Buffer | undefined {
  if (!TOKEN.test(req.method) || !/^\/[^\s]*$/.test(req.path)) return undefined;
  const seen = new Set<string>();
  let head = `${req.method} ${req.path} HTTP/1.1\r\n`;
  for (const [name, value] of Object.entries(req.headers)) {
    const lower = name.toLowerCase();
    if (LEFT_TO_UNDICI.has(lower) || seen.has(lower) || !TOKEN.test(name) || /[\r\n\0]/.test(value)) return undefined;
    seen.add(lower);
    head += `${name}: ${value}\r\n`;
  }
  if (!seen.has('host')) return undefined;
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  if (body) head += `content-length: ${body.length}\r\n`;
  head += '\r\n';
  const bytes = Buffer.from(head, 'latin1');
  return body ? Buffer.concat([bytes, body]) : bytes;
}

/**
 * One connection, one request at a time. The response is read just far enough to know where it ends:
 * status, content-length, chunked framing, connection: close, 1xx, HEAD/204/304. Failures carry undici's
 * codes and messages (UND_ERR_SOCKET "other side closed", HPE_*, UND_ERR_HEADERS_TIMEOUT) so that they are
 * classified and reported exactly as on the undici path.
 */
class RawConnection {
  static for(pool: Pool, req: QuickRequest, onDone: (status: number, error: unknown) => void): RawConnection | undefined {
    const origin = originOf(pool);
    if (origin === undefined) return undefined;
    const url = new URL(origin);
    if (url.protocol !== 'http:') return undefined;
    const bytes = requestBytes(req);
    if (!bytes) return undefined;
    return new RawConnection(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port) || 80, bytes, req.method === 'HEAD', onDone);
  }

  private socket: Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pending = false;
  private mode = Mode.Idle;
  private status = 0;
  private keepAlive = true;
  private remaining = 0;
  private chunk = Chunk.Size;
  private line = '';
  private head: Buffer | undefined;

  private constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly request: Buffer,
    private readonly isHead: boolean,
    private readonly onDone: (status: number, error: unknown) => void,
  ) {}

  /** Sends the request; `onDone` is called once, with the status or the error. */
  send(timeoutMs: number): void {
    this.pending = true;
    this.mode = Mode.Head;
    this.head = undefined;
    // One timer per connection, re-armed per request: exact, and cheaper than a timer per request.
    if (this.timer) this.timer.refresh();
    else this.timer = setTimeout(() => this.timedOut(), timeoutMs).unref();
    const socket = this.socket ?? this.open();
    socket.write(this.request);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.drop();
  }

  private open(): Socket {
    const socket = connect({host: this.host, port: this.port, noDelay: true});
    this.socket = socket;
    socket.on('data', (data: Buffer) => { if (socket === this.socket) this.onData(data); });
    socket.on('end', () => { if (socket === this.socket) this.onClose(); });
    socket.on('close', () => { if (socket === this.socket) this.onClose(); });
    socket.on('error', (error) => { if (socket === this.socket) this.fail(error); });
    return socket;
  }

  private drop(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
  }

  private timedOut(): void {
    if (this.pending) this.fail(httpError('UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error'));
  }

  private fail(error: unknown): void {
    this.drop();
    if (!this.pending) return;
    this.pending = false;
    this.mode = Mode.Idle;
    this.onDone(0, error);
  }

  private complete(reusable: boolean): void {
    if (!reusable || !this.keepAlive) this.drop();
    this.pending = false;
    this.mode = Mode.Idle;
    this.onDone(this.status, undefined);
  }

  private onClose(): void {
    if (this.pending && this.mode === Mode.UntilClose) {
      this.socket = undefined;
      this.complete(false);
    } else this.fail(httpError('UND_ERR_SOCKET', 'other side closed'));
  }

  private onData(data: Buffer): void {
    // Bytes nobody asked for (no request pending): the connection cannot be trusted any more.
    if (!this.pending) return this.drop();
    let buf = data;
    let off = 0;
    if (this.head !== undefined) {
      buf = Buffer.concat([this.head, data]);
      this.head = undefined;
    }
    for (;;) {
      switch (this.mode) {
        case Mode.Head: {
          const end = buf.indexOf(CRLF2, off);
          if (end < 0 || end - off > MAX_HEAD_BYTES) {
            if (buf.length - off > MAX_HEAD_BYTES) return this.fail(httpError('UND_ERR_HEADERS_OVERFLOW', 'Headers Overflow Error'));
            this.head = buf.subarray(off);
            return;
          }
          const error = this.parseHead(buf.toString('latin1', off, end));
          if (error) return this.fail(error);
          off = end + 4;
          if (this.isIdle()) return this.complete(off === buf.length);
          break;
        }
        case Mode.Length: {
          const available = buf.length - off;
          if (available < this.remaining) {
            this.remaining -= available;
            return;
          }
          off += this.remaining;
          return this.complete(off === buf.length);
        }
        case Mode.Chunked: {
          off = this.chunked(buf, off);
          if (off < 0) return;
          if (this.isIdle()) return this.complete(off === buf.length);
          return;
        }
        case Mode.UntilClose:
          return;
        default:
          return this.drop();
      }
    }
  }

  private isIdle(): boolean {
    return this.mode === Mode.Idle;
  }

  /** The status line and the headers that frame the body; sets the mode (Idle: no body). */
  private parseHead(text: string): Error | undefined {
    const status = Number(text.slice(9, 12));
    if (!text.startsWith('HTTP/1.') || text.charCodeAt(8) !== 32 || !(status >= 100 && status <= 999) || (text.length > 12 && text.charCodeAt(12) !== 32)) {
      return httpError('HPE_INVALID_STATUS', `Invalid status line: ${JSON.stringify(text.slice(0, 40))}`);
    }
    let keepAlive = text.charCodeAt(7) === 49; // HTTP/1.1 keeps the connection unless told otherwise
    let length = -1;
    let encoded = false;
    let chunked = false;
    let at = text.indexOf('\r\n');
    while (at >= 0) {
      const start = at + 2;
      const next = text.indexOf('\r\n', start);
      const lineEnd = next < 0 ? text.length : next;
      const colon = text.indexOf(':', start);
      if (colon < 0 || colon > lineEnd) return httpError('HPE_INVALID_HEADER_TOKEN', 'Invalid header line');
      const nameLength = colon - start;
      // Only three headers matter here: compare names of their lengths only.
      if (nameLength === 14 || nameLength === 17 || nameLength === 10) {
        const name = text.slice(start, colon).toLowerCase();
        if (name === 'content-length') {
          const value = text.slice(colon + 1, lineEnd).trim();
          if (!/^\d{1,15}$/.test(value)) return httpError('HPE_INVALID_CONTENT_LENGTH', 'Invalid character in Content-Length');
          if (length >= 0 && Number(value) !== length) return httpError('HPE_UNEXPECTED_CONTENT_LENGTH', 'Duplicate Content-Length');
          length = Number(value);
        } else if (name === 'transfer-encoding') {
          encoded = true;
          chunked = /(?:^|,)\s*chunked\s*$/i.test(text.slice(colon + 1, lineEnd));
        } else if (name === 'connection') {
          const value = text.slice(colon + 1, lineEnd).toLowerCase();
          if (value.includes('close')) keepAlive = false;
          else if (value.includes('keep-alive')) keepAlive = true;
        }
      }
      at = next;
    }
    if (status < 200) {
      if (status === 101) return httpError('UND_ERR_INFO', 'unexpected upgrade');
      this.mode = Mode.Head; // an informational response: the real one follows
      return undefined;
    }
    this.status = status;
    this.keepAlive = keepAlive;
    if (this.isHead || status === 204 || status === 304) this.mode = Mode.Idle;
    else if (encoded) {
      if (chunked) {
        this.mode = Mode.Chunked;
        this.chunk = Chunk.Size;
        this.line = '';
      } else {
        this.mode = Mode.UntilClose;
        this.keepAlive = false;
      }
    } else if (length > 0) {
      this.mode = Mode.Length;
      this.remaining = length;
    } else if (length === 0) this.mode = Mode.Idle;
    else {
      this.mode = Mode.UntilClose;
      this.keepAlive = false;
    }
    return undefined;
  }

  /** Chunked framing from `off`; returns where it stopped (mode Idle at the end), or -1 after a failure. */
  private chunked(buf: Buffer, off: number): number {
    while (off < buf.length) {
      if (this.chunk === Chunk.Data) {
        const available = buf.length - off;
        if (available < this.remaining) {
          this.remaining -= available;
          return buf.length;
        }
        off += this.remaining;
        this.chunk = Chunk.DataEnd;
        continue;
      }
      const nl = buf.indexOf(10, off);
      if (nl < 0) {
        this.line += buf.toString('latin1', off);
        if (this.line.length > MAX_LINE_BYTES) {
          this.fail(httpError('HPE_CHUNK_EXTENSIONS_OVERFLOW', 'Chunk line too long'));
          return -1;
        }
        return buf.length;
      }
      let line = this.line + buf.toString('latin1', off, nl);
      this.line = '';
      off = nl + 1;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (this.chunk === Chunk.Size) {
        const semi = line.indexOf(';');
        const hex = (semi < 0 ? line : line.slice(0, semi)).trim();
        if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) {
          this.fail(httpError('HPE_INVALID_CHUNK_SIZE', 'Invalid character in chunk size'));
          return -1;
        }
        this.remaining = parseInt(hex, 16);
        this.chunk = this.remaining === 0 ? Chunk.Trailer : Chunk.Data;
      } else if (this.chunk === Chunk.DataEnd) {
        if (line !== '') {
          this.fail(httpError('HPE_STRICT', 'Expected CRLF after chunk data'));
          return -1;
        }
        this.chunk = Chunk.Size;
      } else if (line === '') {
        // The empty line after the last chunk (and its trailers): the response is complete.
        this.mode = Mode.Idle;
        return off;
      }
    }
    return off;
  }
}
