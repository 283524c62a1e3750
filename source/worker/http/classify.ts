// One failure kind for every way a request can fail. Errors lose their prototypes across threads and
// module copies, so classification goes by `code` (undici's UND_ERR_*, Node's E*), then by message.
import type {FailureKind} from '../../protocol/snapshot.js';
import {timeoutMessage} from './timeouts.js';

/** The code of a request held back by the host guard (host-guard.ts). */
export const BLOCKED_HOST = 'BRINK_BLOCKED_HOST';
/** The code of a redirect whose Location cannot be followed (not a URL, or not http/https). */
export const BAD_REDIRECT = 'BRINK_BAD_REDIRECT';

const BY_CODE: Record<string, FailureKind> = {
  ECONNREFUSED: 'conn_refused',
  ECONNRESET: 'conn_reset',
  EPIPE: 'conn_reset',
  ECONNABORTED: 'conn_reset',
  UND_ERR_SOCKET: 'socket_closed',
  UND_ERR_CLOSED: 'socket_closed',
  UND_ERR_DESTROYED: 'socket_closed',
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: 'protocol',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'protocol',
  UND_ERR_RES_EXCEEDED_MAX_SIZE: 'protocol',
  UND_ERR_INFO: 'protocol',
  UND_ERR_HEADERS_OVERFLOW: 'protocol',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NONAME: 'dns',
  EHOSTUNREACH: 'conn_refused',
  ENETUNREACH: 'conn_refused',
  // Out of file descriptors: this process (EMFILE) or the whole system (ENFILE). brink's limit, not the target's.
  EMFILE: 'fd_limit',
  ENFILE: 'fd_limit',
  [BLOCKED_HOST]: 'blocked_host',
  [BAD_REDIRECT]: 'protocol',
};

/** NGHTTP2 error codes a reset stream or a closing session names that say the peer found the protocol broken. */
const H2_PROTOCOL_CODES = /NGHTTP2_(PROTOCOL|FRAME_SIZE|COMPRESSION|FLOW_CONTROL|STREAM_CLOSED|HTTP_1_1_REQUIRED)_?/;

/**
 * HTTP/2's own failures (Node's ERR_HTTP2_*, and undici's words for what its h2 client saw), or undefined. A
 * GOAWAY without an error ends a connection in good order: a request that fails with it was processed by the
 * server (one it never processed is sent again: h2-dispatcher.ts) and its answer lost with the connection.
 */
function h2Kind(code: string, message: string): FailureKind | undefined {
  if (code === 'ERR_HTTP2_STREAM_ERROR') return H2_PROTOCOL_CODES.test(message) ? 'h2_protocol' : 'h2_stream_reset';
  if (code === 'ERR_HTTP2_STREAM_CANCEL') return 'h2_stream_reset';
  if (code.startsWith('ERR_HTTP2_')) return code === 'ERR_HTTP2_GOAWAY_SESSION' ? 'h2_goaway' : 'h2_protocol';
  if (!message.startsWith('HTTP/2: ')) return undefined;
  const goaway = /"GOAWAY" frame received with code (\d+)/.exec(message);
  if (goaway) return goaway[1] === '0' ? 'h2_goaway' : 'h2_protocol';
  if (/stream half-closed|stream closed before|"stream error"/.test(message)) return 'h2_stream_reset';
  if (code === 'UND_ERR_INFO' || code === 'UND_ERR_SOCKET') return 'h2_protocol';
  return undefined;
}

export function classifyError(error: unknown, depth = 0): FailureKind {
  const e = error as {code?: unknown; name?: string; message?: string; cause?: unknown} | undefined;
  // Not every error's code is a string: a DOMException (AbortSignal.timeout()) has a numeric one.
  const code = typeof e?.code === 'string' ? e.code : '';
  const h2 = h2Kind(code, typeof e?.message === 'string' ? e.message : '');
  if (h2) return h2;
  if (Object.hasOwn(BY_CODE, code)) return BY_CODE[code];
  if (code.startsWith('HPE_')) return 'protocol';
  // undici 7's HTTPParserError leaves `code` undefined (it looks the llhttp error number up in a name→number
  // table), so malformed responses (garbage status line, bad chunk size) are recognised by name.
  if (e?.name === 'HTTPParserError') return 'protocol';
  if (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    code.includes('CERT') ||
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
  )
    return 'tls';
  if (e?.name === 'TimeoutError') return 'timeout';
  if (e?.cause && e.cause !== error && depth < 5) {
    // bounded: a cause chain may be circular
    const inner = classifyError(e.cause, depth + 1);
    if (inner !== 'other') return inner;
  }
  const message = typeof e?.message === 'string' ? e.message : '';
  if (/other side closed|socket hang up/i.test(message)) return 'socket_closed';
  if (/timeout/i.test(message)) return 'timeout';
  return 'other';
}

/** Throws what to fix when a request's `expect` is neither a status code nor a list of them (a script not type-checked). */
export function checkExpect(expect: unknown): void {
  if (typeof expect === 'number' || (Array.isArray(expect) && expect.every((s) => typeof s === 'number'))) return;
  throw new TypeError(`expect: a status code or a list of them (expect: 200, expect: [200, 404]), not ${JSON.stringify(expect)}`);
}

/** The kind of a response: undefined for success. `expect` lists the statuses the scenario accepts. */
export function classifyStatus(status: number, expect?: number | ReadonlyArray<number>): FailureKind | undefined {
  if (expect !== undefined) {
    const ok = typeof expect === 'number' ? status === expect : expect.includes(status);
    if (ok) return undefined;
    return status >= 400 ? `http_${status}` : 'check';
  }
  return status >= 400 ? `http_${status}` : undefined;
}

/**
 * What a failure without a response says in error samples and reports: a timeout what the user set, a full
 * file table how to raise the limit, anything else its error's code and message.
 */
export function failureMessage(kind: FailureKind, error: unknown, timeoutMs: number): string {
  if (kind === 'timeout') return timeoutMessage(timeoutMs, error);
  const e = error as {code?: unknown; message?: unknown} | undefined;
  if (kind === 'fd_limit') {
    return e?.code === 'ENFILE'
      ? 'too many open files in the system (ENFILE): no connection could be opened; raise fs.file-max, or run fewer users'
      : 'too many open files (EMFILE): no connection could be opened; raise the limit with `ulimit -n` (e.g. ulimit -n 65536), or run fewer users';
  }
  if (kind === 'blocked_host' && typeof e?.message === 'string') return e.message;
  return errorMessage(error);
}

export function errorMessage(error: unknown): string {
  const e = error as {code?: string; message?: string} | undefined;
  const message = e?.message ?? String(error);
  return e?.code && !message.includes(e.code) ? `${e.code}: ${message}` : message;
}
