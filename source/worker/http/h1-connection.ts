// brink's own HTTP/1.1 client (h1) for plain http:// targets: one keep-alive connection, one request at a time.
// Hand-written rather than undici for cost alone (about 2x cheaper a request, see bench/). Quick mode only
// needs to know where each response ends; scenario mode (H1Pool) also keeps the headers and the body.
// https, multipart bodies, odd headers and everything else are left to undici.
import {connect, type Socket} from 'node:net';
import {requestBytes} from './h1-text.js';
import {decimal, includesFolded, indexOfByte, NAME, nameIs, startsHttp1, threeDigits} from './head-bytes.js';
import type {ConnectTimes} from './connect-times.js';
import type {HostGuard} from './host-guard.js';
import {BODY_SAMPLE_BYTES} from '../../protocol/snapshot.js';

/** Where every h1 connection of this worker reads into (see open()): 64 KiB, libuv's usual read size. */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
/**
 * The view of READ_BUFFER's first `n` bytes that the last read made: the next read of the same size (a target
 * answering the same response again and again) uses it again instead of making one (~60 ns a read). onData()
 * keeps no reference to the bytes it is given: what it keeps, it copies.
 */
let readView = READ_BUFFER.subarray(0, 0);

function readBytes(n: number): Buffer {
  if (readView.length !== n) readView = READ_BUFFER.subarray(0, n);
  return readView;
}
const CRLF2 = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);
/** Bodies up to this many bytes are copied out of the read buffer byte by byte (copyOut). */
const SHORT_COPY = 64;

/**
 * buf[from, to) in a Buffer of its own. A short one is copied byte by byte: Buffer.from(buf.subarray()) makes a
 * view only to copy from it (about 120 ns against 60, and one object less, for an API's small JSON answer).
 */
function copyOut(buf: Buffer, from: number, to: number): Buffer {
  const n = to - from;
  if (n > SHORT_COPY) return Buffer.from(buf.subarray(from, to));
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[i] = buf[from + i];
  return out;
}
/** Like undici's (and Node's) default: a response head larger than this is a protocol error. */
const MAX_HEAD_BYTES = 16 * 1024;
const MAX_LINE_BYTES = 4096;

/**
 * Keep-alive as undici does it: a connection idle longer than the server's `Keep-Alive: timeout=N` less
 * this margin is not reused (the server may be closing it as the request goes out)…
 */
const KEEP_ALIVE_MARGIN_MS = 2000;
/** …nor one idle longer than this when the server gave no hint (as the undici pools are set up: pools.ts). */
const DEFAULT_IDLE_MS = 30_000;

const enum Mode {
  Idle,
  Head,
  Length,
  Chunked,
  UntilClose,
}
const enum Chunk {
  Size,
  Data,
  DataEnd,
  Trailer,
}

function httpError(code: string, message: string): Error {
  return Object.assign(new Error(message), {code});
}

/** Where to connect for an `http://` origin (an IPv6 host without its brackets); undefined for any other scheme. */
export function plainHttp(origin: string): {host: string; port: number} | undefined {
  const url = new URL(origin);
  if (url.protocol !== 'http:') return undefined;
  return {host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || 80};
}

/** A request made once and sent again and again (quick mode's). */
export interface FixedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** Scenario mode keeps each response's head (as text), its set-cookie and location, and its body up to `maxBodyBytes`. */
export interface Capture {
  readonly maxBodyBytes: number;
}

/**
 * One connection, one request at a time. The response is read just far enough to know where it ends:
 * status, content-length, chunked framing, connection: close, 1xx, HEAD/204/304 (and, with a `capture`,
 * its headers and body are kept). Failures carry undici's codes and messages (UND_ERR_SOCKET "other side
 * closed", HPE_*, UND_ERR_HEADERS_TIMEOUT) so that they are classified and reported exactly as on the
 * undici path. The one timer covers connecting, sending and receiving: a request's whole time. The time
 * spent connecting is kept apart (`connectMs`, and `connects` when given): see connect-times.ts.
 */
export class H1Connection {
  /** Quick mode: one request, prebuilt once and sent again and again. */
  static for(
    origin: string,
    req: FixedRequest,
    onDone: (status: number, error: unknown) => void,
    connects?: ConnectTimes,
    guard?: HostGuard,
  ): H1Connection | undefined {
    const at = plainHttp(origin);
    if (!at) return undefined;
    const bytes = requestBytes(req.method, req.path, req.headers, req.body);
    if (bytes === undefined) return undefined;
    // Sent again and again: made a Buffer once.
    return new H1Connection(
      at.host,
      at.port,
      typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes,
      req.method === 'HEAD',
      onDone,
      undefined,
      connects,
      guard,
    );
  }

  /** Whether quick mode's request to `origin` goes over this path (http://, and a request it can write). */
  static carries(origin: string, req: FixedRequest): boolean {
    return plainHttp(origin) !== undefined && requestBytes(req.method, req.path, req.headers, req.body) !== undefined;
  }

  /** How long the pending (or last) request waited for its connection to come up; 0 on a kept-alive one. */
  connectMs = 0;
  // Capture only: the last response's head as received (parsed only if the script reads the headers),
  // and the two headers a session acts on.
  headText = '';
  setCookie: string[] | undefined;
  /** A redirect's Location: kept with a capture, or (quick mode following redirects) when `wantLocation`. */
  location: string | undefined;
  /** Keep a 3xx's Location without a capture: quick mode follows redirects. */
  wantLocation = false;
  /**
   * The kept body: its first chunk, and the rest when it came in more than one read (rare). No array made for
   * each response: an empty array's first push allocated room for 17 (about 180 bytes a scenario request).
   */
  private firstChunk: Buffer | undefined;
  private moreChunks: Buffer[] | undefined;
  private kept = 0;
  /** Body bytes to keep of the response being read: all (up to maxBodyBytes) with a capture, else an error page's first few. */
  private keepMax = 0;
  private socket: Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** When the timer fires, and when the pending request's time is up (performance.now() ms). */
  private timerAt = 0;
  private deadline = 0;
  /** When the last response ended (performance.now() ms): its latency's end, and the start of the connection's idle time. */
  endedAt = 0;
  /** How long the connection may sit idle after a response and still be reused. */
  private idleMs = DEFAULT_IDLE_MS;
  private pending = false;
  private mode = Mode.Idle;
  private status = 0;
  private keepAlive = true;
  private remaining = 0;
  /** Body bytes of the response being read (all of them, kept or not): Locust's content size. */
  bodyBytes = 0;
  private chunk = Chunk.Size;
  private line = '';
  private head: Buffer | undefined;
  private isHead: boolean;

  /** `guard`: the host guard every connection is opened through (host-guard.ts); none with --yes. */
  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly request: Buffer | string,
    private readonly fixedIsHead: boolean,
    private readonly onDone: (status: number, error: unknown) => void,
    private readonly capture?: Capture,
    private readonly connects?: ConnectTimes,
    private readonly guard?: HostGuard,
  ) {
    this.isHead = fixedIsHead;
  }

  /**
   * Sends the connection's request, or `request` (a pool's connection sends a new one each time, not kept);
   * `onDone` is called once, with the status or the error. `now` (performance.now()), when the caller just
   * read the clock, saves reading it again.
   */
  send(timeoutMs: number, request?: Buffer | string, isHead?: boolean, now?: number): void {
    const bytes = request ?? this.request;
    // A request of its own (a pool's, a redirect's) says whether it is a HEAD; the fixed one is what it was made as.
    this.isHead = request ? (isHead ?? false) : this.fixedIsHead;
    this.pending = true;
    this.mode = Mode.Head;
    this.head = undefined;
    this.connectMs = 0;
    if (this.capture) {
      this.setCookie = undefined;
      this.location = undefined;
      this.forgetKept();
    } else if (this.wantLocation) this.location = undefined;
    const at = now ?? performance.now();
    // One timer per connection, checked when it fires rather than re-armed for each request (refresh() was about
    // 1 % of a request): a request sent before it fires has a later deadline, and the timer is armed again for that.
    this.deadline = at + timeoutMs;
    if (this.timer === undefined || this.timerAt > this.deadline) this.arm(timeoutMs, at);
    // Idle past what the server allows (its Keep-Alive hint, less a margin): it may be closing it right now.
    if (this.socket && at - this.endedAt > this.idleMs) this.drop();
    const socket = this.socket ?? this.open();
    if (socket === undefined) return; // held back by the guard: it fails in the next tick
    // A request without a body may come as a latin-1 string: written as is, no Buffer made of it first.
    if (typeof bytes === 'string') socket.write(bytes, 'latin1');
    else socket.write(bytes);
  }

  /** The kept body of the last response (with a capture; else the start of an error page's). */
  body(): Buffer {
    const {firstChunk, moreChunks} = this;
    if (moreChunks === undefined) return firstChunk ?? EMPTY;
    return Buffer.concat([firstChunk!, ...moreChunks]);
  }

  /** A new response's body is about to be kept: nothing of the last one stays. */
  private forgetKept(): void {
    this.firstChunk = this.moreChunks = undefined;
    this.kept = 0;
  }

  private keep(buf: Buffer, from: number, to: number): void {
    const max = this.keepMax;
    if (this.kept >= max || to <= from) return;
    const end = Math.min(to, from + max - this.kept);
    const copy = copyOut(buf, from, end); // a copy: the read buffer is used again (READ_BUFFER)
    if (this.firstChunk === undefined) this.firstChunk = copy;
    else (this.moreChunks ??= []).push(copy);
    this.kept += end - from;
  }

  /** Lets go of the socket; a request still pending ends with undici's "destroyed" error. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.fail(httpError('UND_ERR_DESTROYED', 'The client is destroyed'));
  }

  /** A new connection; undefined when the guard holds it back (an address that may not be loaded: it fails in the next tick). */
  private open(): Socket | undefined {
    const {guard} = this;
    let socket: Socket;
    // Reads land in one buffer the worker's connections share (`onread`, which hands that buffer back with each
    // read's size): no Buffer made and no stream machinery run for each read. onData() is done with the bytes
    // before the next read comes, and copies what it keeps.
    const onread = {
      buffer: READ_BUFFER,
      callback: (n: number): boolean => {
        if (socket === this.socket) this.onData(readBytes(n));
        return true;
      },
    };
    if (guard === undefined) socket = connect({host: this.host, port: this.port, noDelay: true, onread});
    else {
      const blocked = guard.literal(this.host);
      if (blocked) {
        process.nextTick(() => this.fail(blocked));
        return undefined;
      }
      socket = connect({host: this.host, port: this.port, noDelay: true, lookup: guard.lookup, onread});
    }
    this.socket = socket;
    const opening = performance.now();
    socket.once('connect', () => {
      if (socket !== this.socket) return;
      this.connectMs = performance.now() - opening;
      this.connects?.record(this.connectMs);
    });
    socket.on('end', () => {
      if (socket === this.socket) this.onClose();
    });
    socket.on('close', () => {
      if (socket === this.socket) this.onClose();
    });
    socket.on('error', (error) => {
      if (socket === this.socket) this.fail(error);
    });
    return socket;
  }

  private drop(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
  }

  private arm(ms: number, now: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(this.checkTime, ms).unref();
    this.timerAt = now + ms;
  }

  /** The timer fired: the pending request's time is up, or it was sent since and the timer waits for what it has left. */
  private readonly checkTime = (): void => {
    this.timer = undefined;
    if (!this.pending) return; // armed again by the next request
    const now = performance.now();
    const left = this.deadline - now;
    if (left > 0) this.arm(Math.ceil(left), now);
    else this.fail(httpError('UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error'));
  };

  private fail(error: unknown): void {
    this.drop();
    if (!this.pending) return;
    this.pending = false;
    this.mode = Mode.Idle;
    this.onDone(0, error);
  }

  private complete(reusable: boolean): void {
    this.endedAt = performance.now();
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
          let end = buf.indexOf(CRLF2, off);
          // A head with bare-LF line ends (some small servers write them) ends at its first empty line: `\n\n` or `\n\r\n`.
          const bare = end < 0;
          if (bare) end = blankLine(buf, off);
          if (end < 0 || end - off > MAX_HEAD_BYTES) {
            if (buf.length - off > MAX_HEAD_BYTES) return this.fail(httpError('UND_ERR_HEADERS_OVERFLOW', 'Headers Overflow Error'));
            this.head = copyOut(buf, off, buf.length); // a copy: the read buffer is used again (READ_BUFFER)
            return;
          }
          let error = this.parseHead(buf, off, end, bare);
          if (error === BARE_LF) {
            // Its status line ends in a bare LF: the head ends at its first empty line, before the CRLF CRLF found (if that is where).
            end = blankLine(buf, off);
            error = this.parseHead(buf, off, end, true);
          }
          if (error) return this.fail(error);
          // Past the empty line: CRLF CRLF, LF LF or LF CRLF.
          off = end + (buf[end] === 13 ? 4 : buf[end + 1] === 10 ? 2 : 3);
          if (this.isIdle()) return this.complete(off === buf.length);
          break;
        }
        case Mode.Length: {
          const available = buf.length - off;
          if (available < this.remaining) {
            if (this.keepMax > 0) this.keep(buf, off, buf.length);
            this.remaining -= available;
            return;
          }
          if (this.keepMax > 0) this.keep(buf, off, off + this.remaining);
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
          this.bodyBytes += buf.length - off;
          if (this.keepMax > 0) this.keep(buf, off, buf.length);
          return;
        default:
          return this.drop();
      }
    }
  }

  private isIdle(): boolean {
    return this.mode === Mode.Idle;
  }

  /**
   * The status line and the headers of the head in buf[from, to), read in place (head-bytes.ts), that frame the
   * body; sets the mode (Idle: no body). BARE_LF, before anything is set, when the status line ends in a bare LF
   * and `lenient` is false: the head may end before `to` does.
   */
  private parseHead(buf: Buffer, from: number, to: number, lenient: boolean): Error | typeof BARE_LF | undefined {
    // Lines end in CRLF, or a bare LF from a lenient server.
    let at = indexOfByte(buf, 10, from, to);
    if (!lenient && at > from && buf[at - 1] !== 13) return BARE_LF;
    const status = to - from >= 12 ? threeDigits(buf, from + 9) : -1;
    const afterStatus = buf[from + 12]; // a space before the reason phrase; or the line's end, as it may have none
    if (
      status < 100 ||
      !startsHttp1(buf, from) ||
      buf[from + 8] !== 32 ||
      (to - from > 12 && afterStatus !== 32 && afterStatus !== 13 && afterStatus !== 10)
    ) {
      return httpError(
        'HPE_INVALID_STATUS',
        `Invalid status line: ${JSON.stringify(buf.toString('latin1', from, Math.min(to, from + 40)))}`,
      );
    }
    let keepAlive = buf[from + 7] === 49; // HTTP/1.1 keeps the connection unless told otherwise
    let idleMs = DEFAULT_IDLE_MS;
    let length = -1;
    let encoded = false;
    let chunked = false;
    const wantLocation = this.capture !== undefined || (this.wantLocation && status >= 300 && status < 400);
    while (at >= 0) {
      const start = at + 1;
      const next = indexOfByte(buf, 10, start, to);
      let lineEnd = next < 0 ? to : next;
      if (buf[lineEnd - 1] === 13) lineEnd--;
      // The name ends at the line's first colon.
      const colon = indexOfByte(buf, 58, start, lineEnd);
      if (colon < 0) return httpError('HPE_INVALID_HEADER_TOKEN', 'Invalid header line');
      const nameLength = colon - start;
      // Only a few headers matter here: names of their lengths are compared in place.
      if (nameLength === 14 || nameLength === 17 || nameLength === 10 || (nameLength === 8 && wantLocation)) {
        const isLocation = nameLength === 8 && nameIs(buf, start, NAME.location);
        if (isLocation || (this.capture && nameLength === 10 && nameIs(buf, start, NAME.setCookie))) {
          const value = buf.toString('latin1', colon + 1, lineEnd).trim();
          if (isLocation) this.location = value;
          else (this.setCookie ??= []).push(value);
        } else if (nameLength === 14 && nameIs(buf, start, NAME.contentLength)) {
          const value = decimal(buf, colon + 1, lineEnd);
          if (value < 0) return httpError('HPE_INVALID_CONTENT_LENGTH', 'Invalid character in Content-Length');
          if (length >= 0 && value !== length) return httpError('HPE_UNEXPECTED_CONTENT_LENGTH', 'Duplicate Content-Length');
          length = value;
        } else if (nameLength === 17 && nameIs(buf, start, NAME.transferEncoding)) {
          encoded = true;
          chunked = /(?:^|,)\s*chunked\s*$/i.test(buf.toString('latin1', colon + 1, lineEnd));
        } else if (nameLength === 10 && nameIs(buf, start, NAME.connection)) {
          if (includesFolded(buf, colon + 1, lineEnd, NAME.close)) keepAlive = false;
          else if (includesFolded(buf, colon + 1, lineEnd, NAME.keepAlive)) keepAlive = true;
        } else if (nameLength === 10 && nameIs(buf, start, NAME.keepAlive)) {
          const timeout = /timeout\s*=\s*(\d+)/i.exec(buf.toString('latin1', colon + 1, lineEnd));
          if (timeout) idleMs = Number(timeout[1]) * 1000 - KEEP_ALIVE_MARGIN_MS;
        }
      }
      at = next;
    }
    if (status < 200) {
      if (status === 101) return httpError('UND_ERR_INFO', 'unexpected upgrade');
      this.mode = Mode.Head; // an informational response: the real one follows
      this.setCookie = undefined;
      this.location = undefined;
      return undefined;
    }
    if (this.capture) this.headText = buf.toString('latin1', from, to);
    this.status = status;
    this.bodyBytes = 0;
    // Without a capture (quick mode) an error page's first bytes are still kept: they say what broke.
    if (this.capture) this.keepMax = this.capture.maxBodyBytes;
    else if (status >= 400) {
      this.keepMax = BODY_SAMPLE_BYTES;
      this.forgetKept();
    } else this.keepMax = 0;
    // A connection the server will close before it could be reused is closed now, as undici does.
    this.keepAlive = keepAlive && idleMs > 0;
    this.idleMs = idleMs;
    if (this.isHead || status === 204 || status === 304) this.mode = Mode.Idle;
    else if (encoded) {
      // Both framings at once: a sign of response smuggling, an error as RFC 9112 advises (and as llhttp, undici's parser, says).
      if (length >= 0) return httpError('HPE_UNEXPECTED_CONTENT_LENGTH', 'Content-Length with Transfer-Encoding');
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
      this.bodyBytes = length;
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
          if (this.keepMax > 0) this.keep(buf, off, buf.length);
          this.remaining -= available;
          return buf.length;
        }
        if (this.keepMax > 0) this.keep(buf, off, off + this.remaining);
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
        this.bodyBytes += this.remaining;
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

/** parseHead's answer for a head whose status line ends in a bare LF. */
const BARE_LF = 1;

/**
 * Where a head at `from` with bare-LF line ends ends: the index of the `\n` before its empty line (`\n\n` or
 * `\n\r\n`); -1 when it has not all arrived.
 */
function blankLine(buf: Buffer, from: number): number {
  for (let at = buf.indexOf(10, from); at >= 0; at = buf.indexOf(10, at + 1)) {
    const next = buf[at + 1];
    if (next === 10 || (next === 13 && buf[at + 2] === 10)) return at;
  }
  return -1;
}
