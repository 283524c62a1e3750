// A virtual user's HTTP session: base URL, cookie jar, default headers, bodies, redirects, timeouts.
// Every request ends in exactly one recorded outcome, whatever the target did.
import {performance} from 'node:perf_hooks';
import {FormData} from 'undici';
import {CookieJar} from 'tough-cookie';
import type {FilePart, Http, HttpMethod, MultipartValue, RequestOptions} from '../scenario/types.js';
import {classifyError, classifyStatus, errorMessage} from './classify.js';
import type {Recorder} from './recorder.js';
import {BrinkResponse} from './response.js';
import {preciseTimeout, timeoutMessage} from './timeouts.js';
import type {RateLimit} from './rate-limit.js';
import type {Pools} from './pools.js';

const MAX_REDIRECTS = 10;
const EMPTY = Buffer.alloc(0);

export interface SessionSettings {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** --max-rps: each request waits for a slot first. */
  readonly limit?: RateLimit;
}

/** Thrown into a task when its user was asked to stop: ends the task quietly. */
export class UserStopped extends Error {
  readonly brinkStopped = true;
}

export class Session implements Http {
  readonly baseUrl: string;
  private readonly base: URL;
  private readonly jar = new CookieJar(undefined, {looseMode: true});
  private readonly defaults: Record<string, string>;
  private pending: BrinkResponse | undefined;
  inFlight = 0;
  stopping = false;
  /** Open model: when the next request was due (performance.now() ms); its latency counts from then. */
  dueAt: number | undefined;

  constructor(private readonly settings: SessionSettings, private readonly pools: Pools, private readonly recorder: Recorder) {
    this.base = new URL(settings.baseUrl);
    this.baseUrl = this.base.href.replace(/\/$/, '');
    this.defaults = {...lowerKeys(settings.headers ?? {})};
  }

  get(path: string, options?: RequestOptions) { return this.request('GET', path, options); }
  head(path: string, options?: RequestOptions) { return this.request('HEAD', path, options); }
  delete(path: string, options?: RequestOptions) { return this.request('DELETE', path, options); }
  post(path: string, options?: RequestOptions) { return this.request('POST', path, options); }
  put(path: string, options?: RequestOptions) { return this.request('PUT', path, options); }
  patch(path: string, options?: RequestOptions) { return this.request('PATCH', path, options); }

  bearer(token: string | undefined): void {
    this.setHeader('authorization', token === undefined ? undefined : `Bearer ${token}`);
  }

  setHeader(name: string, value: string | undefined): void {
    if (value === undefined) delete this.defaults[name.toLowerCase()];
    else this.defaults[name.toLowerCase()] = value;
  }

  cookie(name: string): string | undefined {
    return this.jar.getCookiesSync(this.base.href).find((c) => c.key === name)?.value;
  }

  clearCookies(): void {
    this.jar.removeAllCookiesSync();
  }

  /**
   * The same user's session for its next tasks (same cookies, same headers) after a task was abandoned
   * (it outlived the task timeout). This one refuses new requests: the abandoned task ends at its next one.
   */
  fork(): Session {
    const next = new Session(this.settings, this.pools, this.recorder);
    Object.assign(next, {jar: this.jar, defaults: this.defaults});
    this.stopping = true;
    return next;
  }

  /** The last response, until it is recorded. */
  get lastResponse(): BrinkResponse | undefined {
    return this.pending;
  }

  /** Records the last response's outcome; called before the next request and when a task ends. */
  flush(): void {
    this.pending?.record();
    this.pending = undefined;
  }

  async request(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<BrinkResponse> {
    this.flush();
    if (this.stopping) throw new UserStopped('user stopped');
    const m = method.toUpperCase();
    let url = this.resolve(path);
    if (options.query) appendQuery(url, options.query);
    const stats = this.recorder.endpoint(m, options.name !== undefined ? endpointName(m, options.name) : url.pathname);
    const timeoutMs = options.timeout !== undefined ? options.timeout * 1000 : this.settings.timeoutMs;
    const {body, contentType} = encodeBody(options);
    let hopMethod = m;
    let hopBody = body;
    let hopContentType = contentType;
    await this.settings.limit?.take();
    // Coordinated omission: a request that could not go out on time is late by the target's fault too.
    const started = this.dueAt !== undefined ? Math.min(this.dueAt, performance.now()) : performance.now();
    this.dueAt = undefined;
    this.inFlight++;
    try {
      for (let hop = 0; ; hop++) {
        const headers: Record<string, string> = {...this.defaults, ...lowerKeys(options.headers ?? {})};
        if (hopContentType && !headers['content-type']) headers['content-type'] = hopContentType;
        if (!hopContentType && hopBody === undefined) delete headers['content-type'];
        const cookie = this.jar.getCookieStringSync(url.href);
        if (cookie) headers.cookie = headers.cookie ? `${headers.cookie}; ${cookie}` : cookie;
        const res = await this.pools.get(url.origin).request({
          path: url.pathname + url.search,
          method: hopMethod as 'GET',
          headers,
          body: hopBody as never,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          signal: preciseTimeout(timeoutMs),
        });
        const setCookie = res.headers['set-cookie'];
        if (setCookie) {
          for (const c of Array.isArray(setCookie) ? setCookie : [setCookie]) this.jar.setCookieSync(c, url.href, {ignoreError: true});
        }
        const location = res.headers.location;
        if (options.redirect !== false && res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
          await res.body.dump().catch(() => {});
          if (hop >= MAX_REDIRECTS) return this.finish(stats, started, 0, {}, url.href, EMPTY, 'too_many_redirects', `more than ${MAX_REDIRECTS} redirects`);
          url = new URL(location, url);
          // 303, and 301/302 after a POST, turn into a GET without a body, as browsers do.
          if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && hopMethod === 'POST')) {
            hopMethod = hopMethod === 'HEAD' ? 'HEAD' : 'GET';
            hopBody = undefined;
            hopContentType = undefined;
          }
          continue;
        }
        const bytes = hopMethod === 'HEAD' ? EMPTY : await readBody(res.body, this.settings.maxBodyBytes);
        const kind = classifyStatus(res.statusCode, options.expect);
        const response = this.finish(stats, started, res.statusCode, res.headers, url.href, bytes, kind, kind ? `HTTP ${res.statusCode}` : undefined);
        if (!kind && options.check) runCheck(response, options.check);
        return response;
      }
    } catch (error) {
      const kind = classifyError(error);
      return this.finish(stats, started, 0, {}, url.href, EMPTY, kind, kind === 'timeout' ? timeoutMessage(timeoutMs, error) : errorMessage(error));
    } finally {
      this.inFlight--;
    }
  }

  /** A path is joined to the base URL's path (so `--host http://h/app` works); a full URL is used as is. */
  private resolve(path: string): URL {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return new URL(path);
    const basePath = this.base.pathname.replace(/\/$/, '');
    return new URL(basePath + (path.startsWith('/') ? path : `/${path}`), this.base.origin);
  }

  private finish(stats: ReturnType<Recorder['endpoint']>, started: number, status: number, headers: Record<string, string | string[] | undefined>, url: string, bytes: Buffer, kind: string | undefined, message: string | undefined): BrinkResponse {
    const response = new BrinkResponse(status, headers, url, performance.now() - started, bytes, stats, kind, message);
    this.pending = response;
    return response;
  }
}

function runCheck(response: BrinkResponse, check: NonNullable<RequestOptions['check']>): void {
  try {
    const verdict = check(response);
    if (verdict === false) response.fail('check failed');
    else if (typeof verdict === 'string') response.fail(verdict);
  } catch (error) {
    response.fail(`check threw: ${errorMessage(error)}`);
  }
}

async function readBody(body: AsyncIterable<Buffer> & {dump(): Promise<void>}, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < max) chunks.push(size + chunk.length > max ? chunk.subarray(0, max - size) : chunk);
    size += chunk.length;
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

/** A `name` may repeat the method (`GET /items/:id`, as the docs show it): the key already starts with it. */
function endpointName(method: string, name: string): string {
  return name.length > method.length && name[method.length] === ' ' && name.slice(0, method.length).toUpperCase() === method
    ? name.slice(method.length + 1).trimStart()
    : name;
}

function lowerKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in headers) out[k.toLowerCase()] = headers[k];
  return out;
}

function appendQuery(url: URL, query: NonNullable<RequestOptions['query']>): void {
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v)) for (const one of v) url.searchParams.append(k, String(one));
    else url.searchParams.append(k, String(v));
  }
}

function encodeBody(options: RequestOptions): {body?: string | Uint8Array | FormData; contentType?: string} {
  if (options.json !== undefined) return {body: JSON.stringify(options.json), contentType: 'application/json'};
  if (options.form) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(options.form)) params.append(k, String(v));
    return {body: params.toString(), contentType: 'application/x-www-form-urlencoded'};
  }
  if (options.multipart) {
    const form = new FormData();
    for (const [k, v] of Object.entries(options.multipart)) {
      for (const one of (Array.isArray(v) ? v : [v]) as MultipartValue[]) {
        if (typeof one === 'object') {
          const file = one as FilePart;
          form.append(k, new Blob([file.data as BlobPart], {type: file.contentType ?? 'application/octet-stream'}), file.filename);
        } else form.append(k, String(one));
      }
    }
    return {body: form}; // undici sets the multipart content type with its boundary
  }
  if (options.body !== undefined) return {body: options.body};
  return {};
}
