// undici fails a response that an unsolicited `100 Continue` precedes (it destroys the socket with "bad
// response": socket_closed), though RFC 9110 (15.2) says a client must parse 1xx responses it did not ask for,
// and some servers send one before every response to a request with a body. Other 1xx (103 Early Hints) it
// skips already, as the h1 client skips them all. So undici's sockets are read through this filter: where a
// response starts (the first bytes read after a request was written), a `100` head is dropped before undici's
// parser sees it. brink never asks for 100-continue, so a 100 is never one undici waits for.
import type {Duplex} from 'node:stream';

const CONTINUE = Buffer.from('HTTP/1.1 100');
/** The bytes that tell a 100 head: `HTTP/1.x 100` and a space or the line's end. */
const TELL = CONTINUE.length + 1;

/** Whether `chunk` starts with a `100` status line; undefined when it is too short to tell yet. */
function startsWithContinue(chunk: Buffer): boolean | undefined {
  const n = Math.min(chunk.length, TELL);
  for (let i = 0; i < n; i++) {
    const c = chunk[i];
    if (i === 7 ? c !== 48 && c !== 49 : i === 12 ? c !== 32 && c !== 13 && c !== 10 : c !== CONTINUE[i]) return false;
  }
  return chunk.length >= TELL ? true : undefined;
}

/** Where the head at the start of `chunk` ends (the index after its empty line), or -1 when it has not all arrived. */
function headEnd(chunk: Buffer): number {
  for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) {
    if (chunk[at + 1] === 10) return at + 2;
    if (chunk[at + 1] === 13 && chunk[at + 2] === 10) return at + 3;
  }
  return -1;
}

/** Reads `socket` (as undici does: `read()` when readable) without the `100 Continue` heads where responses start. */
export function skipContinue(socket: Duplex): void {
  const read = socket.read;
  const write = socket.write;
  /** A request was written and nothing of its response read yet. */
  let fresh = false;
  /** The start of a response too short to tell, or a 100 head not all arrived: read with what follows. */
  let held: Buffer | undefined;
  socket.write = function (this: Duplex, ...args: Parameters<Duplex['write']>) {
    fresh = true;
    return write.apply(this, args);
  } as Duplex['write'];
  socket.read = function (this: Duplex, size?: number) {
    let chunk = read.call(this, size) as Buffer | null;
    if (!fresh || size === 0 || chunk === null) return chunk;
    if (held) {
      chunk = Buffer.concat([held, chunk]);
      held = undefined;
    }
    for (;;) {
      const is = startsWithContinue(chunk);
      if (is === false) {
        fresh = false;
        return chunk;
      }
      const end = is ? headEnd(chunk) : -1;
      if (end < 0) {
        held = chunk; // more is on its way: undici reads again when it comes
        return null;
      }
      chunk = chunk.subarray(end);
      if (chunk.length === 0) {
        const more = read.call(this) as Buffer | null;
        if (more === null) return null;
        chunk = more;
      }
    }
  } as Duplex['read'];
}
