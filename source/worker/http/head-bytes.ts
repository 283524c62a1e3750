// Reading a response head where it landed, byte by byte: the h1 client's parser compares header names and
// reads the values it acts on in the read buffer, with no string made of the head (a string's characters
// cost about three times a byte's to read, and making the string costs as much again). Latin-1 throughout.

/** The header names (and the Connection tokens) compared in place, as lower-case bytes. */
export const NAME = {
  location: bytes('location'),
  setCookie: bytes('set-cookie'),
  contentLength: bytes('content-length'),
  transferEncoding: bytes('transfer-encoding'),
  connection: bytes('connection'),
  keepAlive: bytes('keep-alive'),
  close: bytes('close'),
};

function bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** Whether `c` is `n` (a lower-case letter, or another byte) whatever its case. */
function sameFolded(c: number, n: number): boolean {
  return c === n || (n >= 97 && n <= 122 && c === n - 32);
}

/** The index of the first `byte` in buf[from, to), or -1. */
export function indexOfByte(buf: Uint8Array, byte: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (buf[i] === byte) return i;
  return -1;
}

/** Whether the header name at `start` (its length already checked) is `name` (lower case), whatever its case. */
export function nameIs(buf: Uint8Array, start: number, name: Uint8Array): boolean {
  for (let i = 0; i < name.length; i++) if (!sameFolded(buf[start + i], name[i])) return false;
  return true;
}

/** Whether buf[from, to) holds `needle` (lower case), whatever its case. */
export function includesFolded(buf: Uint8Array, from: number, to: number, needle: Uint8Array): boolean {
  const first = needle[0];
  for (let at = from; at + needle.length <= to; at++) {
    if (!sameFolded(buf[at], first)) continue;
    let i = 1;
    while (i < needle.length && sameFolded(buf[at + i], needle[i])) i++;
    if (i === needle.length) return true;
  }
  return false;
}

/** Whether buf[at…] starts with `HTTP/1.` (the caller checked that the bytes are there). */
export function startsHttp1(buf: Uint8Array, at: number): boolean {
  return (
    buf[at] === 72 && // H
    buf[at + 1] === 84 && // T
    buf[at + 2] === 84 && // T
    buf[at + 3] === 80 && // P
    buf[at + 4] === 47 && // /
    buf[at + 5] === 49 && // 1
    buf[at + 6] === 46 // .
  );
}

/** The three decimal digits at `at` as a number (a status code); -1 when they are not three digits. */
export function threeDigits(buf: Uint8Array, at: number): number {
  const a = buf[at] - 48;
  const b = buf[at + 1] - 48;
  const c = buf[at + 2] - 48;
  if (!(a >= 0 && a <= 9 && b >= 0 && b <= 9 && c >= 0 && c <= 9)) return -1;
  return a * 100 + b * 10 + c;
}

/** Space or tab: the whitespace a header value may have around it (RFC 9110's OWS). */
function ows(c: number): boolean {
  return c === 32 || c === 9;
}

/** A header value of 1 to 15 decimal digits with optional whitespace around, as a number; -1 for anything else. */
export function decimal(buf: Uint8Array, from: number, to: number): number {
  while (from < to && ows(buf[from])) from++;
  while (to > from && ows(buf[to - 1])) to--;
  if (to === from || to - from > 15) return -1;
  let value = 0;
  for (let i = from; i < to; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}
