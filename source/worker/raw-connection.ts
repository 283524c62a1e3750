// The lean path of quick mode: one keep-alive HTTP/1.1 connection per user, for plain http:// targets.
// Hand-written rather than undici for cost alone (about 2x cheaper a request, see bench/): it only finds where
// each response ends, and leaves https, odd headers and everything else to undici.
import {connect, type Socket} from 'node:net';
import type {Pool} from 'undici';
import {originOf} from './pools.js';
import type {QuickRequest} from './quick-user.js';

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
export class RawConnection {
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
