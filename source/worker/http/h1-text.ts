// HTTP/1.1 as text for the h1 client (h1-connection.ts): a request written from a method, a path and
// headers, checked so that only what is safe to send as is goes this way (the rest goes through undici);
// and a response head's header lines made into the object undici would give.

/** Headers the h1 client does not send itself: with these the request goes through undici, as before. */
const LEFT_TO_UNDICI = new Set(['connection', 'transfer-encoding', 'content-length', 'upgrade', 'expect', 'keep-alive']);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Methods whose request carries a body: without one they still say `content-length: 0`, as undici does. */
function carriesPayload(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH';
}

/** The method last found to be a token: a session sends the same few again and again (a regex test a request saved). */
let tokenMethod = 'GET';

/** A header value the h1 client sends as is: tab, visible ASCII, space, and latin-1 (obs-text). */
const PLAIN_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Header lines checked once and sent as they are with every request (a session's default headers). */
export interface HeaderLines {
  readonly text: string;
  /** Their names, lower case: a request's own header of the same name cannot go with them. */
  readonly names: ReadonlySet<string>;
}

/** `headers` as request lines; undefined when one of them needs something only undici does. */
export function headerLines(headers: Readonly<Record<string, string>>): HeaderLines | undefined {
  const names = new Set<string>();
  let text = '';
  for (const name in headers) {
    const value = headers[name];
    const lower = name.toLowerCase();
    if (LEFT_TO_UNDICI.has(lower) || names.has(lower) || !TOKEN.test(name) || !PLAIN_VALUE.test(value)) return undefined;
    names.add(lower);
    text += `${name}: ${value}\r\n`;
  }
  return {text, names};
}

/**
 * A request as bytes; undefined when it needs something only undici does. `headers` (with `preset`, when
 * given) must hold `host`; a header name may appear once whatever its case.
 */
export function requestBytes(
  method: string,
  path: string,
  headers: Readonly<Record<string, string>>,
  body?: string | Uint8Array,
  preset?: HeaderLines,
): Buffer | string | undefined {
  if (!/^\/[!-~]*$/.test(path)) return undefined;
  const own = headerLines(headers);
  if (!own || !(own.names.has('host') || preset?.names.has('host'))) return undefined;
  if (preset) for (const name of own.names) if (preset.names.has(name)) return undefined;
  return preset ? requestWith(method, path, own.text + preset.text, body) : requestWith(method, path, own.text, body);
}

/**
 * A request as bytes, from header lines already checked (`lines`: `name: value\r\n`…, `host` among them)
 * and a path known to be plain; undefined for a method that is not a token.
 */
export function requestWith(method: string, path: string, lines: string, body?: string | Uint8Array): Buffer | string | undefined {
  if (method !== tokenMethod) {
    if (!TOKEN.test(method)) return undefined;
    tokenMethod = method;
  }
  let head = `${method} ${path} HTTP/1.1\r\n${lines}`;
  const payload = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
  if (payload) head += `content-length: ${payload.length}\r\n`;
  else if (carriesPayload(method)) head += 'content-length: 0\r\n';
  head += '\r\n';
  if (!payload || payload.length === 0) return head; // latin-1 text, written as such
  const bytes = Buffer.allocUnsafe(Buffer.byteLength(head, 'latin1') + payload.length);
  const at = bytes.write(head, 'latin1');
  bytes.set(payload, at);
  return bytes;
}

/** Whether a header value can go on the h1 client as is. */
export function plainValue(value: string): boolean {
  return PLAIN_VALUE.test(value);
}

/** A response head's headers as undici gives them: lower-case names, a repeated header as an array. */
export function parseHeaders(head: string): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const line of head.split(/\r?\n/).slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    const had = headers[name];
    if (had === undefined) headers[name] = value;
    else if (Array.isArray(had)) had.push(value);
    else headers[name] = [had, value];
  }
  return headers;
}
