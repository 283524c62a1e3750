import {describe, expect, it} from 'vitest';
import {errors} from 'undici';
import {classifyError, classifyStatus, errorMessage, failureMessage} from '../../../source/worker/http/classify.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), {code});

describe('classifyError', () => {
  it.each([
    ['ECONNREFUSED', 'conn_refused'],
    ['EHOSTUNREACH', 'conn_refused'],
    ['ENETUNREACH', 'conn_refused'],
    ['ECONNRESET', 'conn_reset'],
    ['EPIPE', 'conn_reset'],
    ['ECONNABORTED', 'conn_reset'],
    ['UND_ERR_SOCKET', 'socket_closed'],
    ['UND_ERR_CLOSED', 'socket_closed'],
    ['UND_ERR_DESTROYED', 'socket_closed'],
    ['UND_ERR_REQ_CONTENT_LENGTH_MISMATCH', 'protocol'],
    ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'protocol'],
    ['UND_ERR_RES_EXCEEDED_MAX_SIZE', 'protocol'],
    ['UND_ERR_INFO', 'protocol'],
    ['UND_ERR_HEADERS_OVERFLOW', 'protocol'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['ETIMEDOUT', 'timeout'],
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['EAI_FAIL', 'dns'],
    ['EAI_NONAME', 'dns'],
    ['HPE_INVALID_CONSTANT', 'protocol'],
    ['HPE_UNEXPECTED_CONTENT_LENGTH', 'protocol'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
    ['EMFILE', 'fd_limit'],
    ['ENFILE', 'fd_limit'],
    ['BRINK_BLOCKED_HOST', 'blocked_host'],
    ['BRINK_BAD_REDIRECT', 'protocol'],
  ])('code %s → %s', (code, kind) => {
    expect(classifyError(withCode(code))).toBe(kind);
  });

  it("classifies undici's own error classes by their real codes", () => {
    expect(classifyError(new errors.HeadersTimeoutError())).toBe('timeout');
    expect(classifyError(new errors.BodyTimeoutError())).toBe('timeout');
    expect(classifyError(new errors.ConnectTimeoutError())).toBe('timeout');
    expect(classifyError(new errors.SocketError('other side closed'))).toBe('socket_closed');
    expect(classifyError(new errors.ClientDestroyedError())).toBe('socket_closed');
    expect(classifyError(new errors.ClientClosedError())).toBe('socket_closed');
    expect(classifyError(new errors.ResponseContentLengthMismatchError())).toBe('protocol');
    expect(classifyError(new errors.HeadersOverflowError())).toBe('protocol');
  });

  it('errors that crossed a thread (plain objects with a code) are classified the same', () => {
    expect(classifyError(structuredClone({code: 'ECONNREFUSED', message: 'connect ECONNREFUSED'}))).toBe('conn_refused');
  });

  it('a TimeoutError name (AbortSignal.timeout) is a timeout', () => {
    const e = new Error('The operation was aborted due to timeout');
    e.name = 'TimeoutError';
    expect(classifyError(e)).toBe('timeout');
    expect(classifyError(new DOMException('aborted', 'TimeoutError'))).toBe('timeout');
  });

  it('follows the cause chain (fetch-style TypeError wrapping)', () => {
    expect(classifyError(new TypeError('fetch failed', {cause: withCode('ECONNREFUSED')}))).toBe('conn_refused');
    expect(classifyError(new Error('outer', {cause: new Error('inner', {cause: withCode('ECONNRESET')})}))).toBe('conn_reset');
    // An unknown cause does not hide the outer message.
    expect(classifyError(new Error('socket hang up', {cause: new Error('?')}))).toBe('socket_closed');
  });

  it('falls back to the message, then to other', () => {
    expect(classifyError(new Error('other side closed'))).toBe('socket_closed');
    expect(classifyError(new Error('Socket hang up'))).toBe('socket_closed');
    expect(classifyError(new Error('request Timeout'))).toBe('timeout');
    expect(classifyError(new Error('something else'))).toBe('other');
    expect(classifyError(withCode('E_WEIRD'))).toBe('other');
    expect(classifyError(undefined)).toBe('other');
    expect(classifyError(null)).toBe('other');
    expect(classifyError('a string')).toBe('other');
  });

  it('a self-referencing cause does not loop', () => {
    const e = new Error('loop') as Error & {cause?: unknown};
    e.cause = e;
    expect(classifyError(e)).toBe('other');
  });
});

describe('classifyStatus', () => {
  it('any status below 400 is a success, 4xx/5xx are http_<status>', () => {
    for (const s of [200, 201, 204, 301, 302, 304, 399]) expect(classifyStatus(s)).toBeUndefined();
    expect(classifyStatus(400)).toBe('http_400');
    expect(classifyStatus(404)).toBe('http_404');
    expect(classifyStatus(429)).toBe('http_429');
    expect(classifyStatus(500)).toBe('http_500');
    expect(classifyStatus(503)).toBe('http_503');
  });

  it('expect lists the statuses that count as success', () => {
    expect(classifyStatus(404, 404)).toBeUndefined();
    expect(classifyStatus(404, [200, 404])).toBeUndefined();
    expect(classifyStatus(200, [200, 404])).toBeUndefined();
    // An unexpected 4xx/5xx keeps its own kind; an unexpected success status is a failed check.
    expect(classifyStatus(500, [200, 404])).toBe('http_500');
    expect(classifyStatus(200, 201)).toBe('check');
    expect(classifyStatus(302, [200])).toBe('check');
  });
});

describe('errorMessage', () => {
  it('prefixes the code once', () => {
    expect(errorMessage(withCode('ECONNRESET', 'read failed'))).toBe('ECONNRESET: read failed');
    expect(errorMessage(withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'))).toBe('connect ECONNREFUSED 127.0.0.1:1');
    expect(errorMessage(new Error('plain'))).toBe('plain');
    expect(errorMessage('thrown string')).toBe('thrown string');
    expect(errorMessage(42)).toBe('42');
  });
});

describe('classifyError robustness', () => {
  it('a numeric code (DOMException) does not throw', () => {
    expect(() => classifyError(new DOMException('aborted', 'AbortError'))).not.toThrow();
    expect(classifyError({code: 23, message: 'x'})).toBe('other');
  });

  it('a code that is an Object.prototype key is not a kind', () => {
    expect(classifyError(withCode('constructor'))).toBe('other');
    expect(classifyError(withCode('toString'))).toBe('other');
  });

  it('a circular cause chain ends', () => {
    const a = new Error('a') as Error & {cause?: unknown};
    const b = new Error('b', {cause: a});
    a.cause = b;
    expect(classifyError(a)).toBe('other');
  });
});

describe('failureMessage', () => {
  it('says what the user set for a timeout, whatever fired it', () => {
    expect(failureMessage('timeout', withCode('UND_ERR_HEADERS_TIMEOUT'), 250)).toBe('no complete response within 250 ms');
    expect(failureMessage('timeout', withCode('UND_ERR_BODY_TIMEOUT'), 30_000)).toBe('no complete response within 30000 ms');
  });

  it('says how to raise the open-file limit when brink ran out of descriptors (EMFILE: ulimit -n; ENFILE: the system)', () => {
    // As net.connect() fails when the process has no descriptor left.
    const emfile = Object.assign(new Error('connect EMFILE 127.0.0.1:8000 - Local (undefined:undefined)'), {
      code: 'EMFILE',
      syscall: 'connect',
    });
    expect(classifyError(emfile)).toBe('fd_limit');
    expect(failureMessage('fd_limit', emfile, 1000)).toMatch(/^too many open files \(EMFILE\).*ulimit -n/);
    const enfile = withCode('ENFILE', 'socket ENFILE');
    expect(failureMessage('fd_limit', enfile, 1000)).toMatch(/^too many open files in the system \(ENFILE\).*fs\.file-max/);
    // Crossed a thread as a plain object: the same.
    expect(classifyError(structuredClone({code: 'EMFILE', message: 'x'}))).toBe('fd_limit');
  });

  it("gives a held-back request's own sentence, and any other failure its code and message", () => {
    const blocked = withCode(
      'BRINK_BLOCKED_HOST',
      '203.0.113.10 is not a loopback or private address: the request was not sent (pass --yes to load hosts that are)',
    );
    expect(failureMessage('blocked_host', blocked, 1000)).toBe(blocked.message);
    expect(failureMessage('conn_refused', withCode('ECONNREFUSED', 'connect refused'), 1000)).toBe('ECONNREFUSED: connect refused');
  });
});
