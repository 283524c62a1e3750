// A HAR 1.2 file (a browser's "Save all as HAR", Playwright's recordHar) read into the few fields
// `brink init --from-har` uses. Every problem with the file is one usage line naming it.
import {readFileSync} from 'node:fs';
import {UsageError} from '../kernel/errors.js';

export interface HarHeader {
  readonly name: string;
  readonly value: string;
}

export interface HarEntry {
  /** When the request started, ms since the epoch. */
  readonly started: number;
  /** How long the exchange took, ms (HAR's `time`; 0 when unknown). */
  readonly time: number;
  readonly method: string;
  readonly url: string;
  readonly requestHeaders: ReadonlyArray<HarHeader>;
  /** The request's body, as recorded. */
  readonly postData?: {readonly mimeType: string; readonly text: string};
  /** 0 for a request that got no answer (cancelled, blocked). */
  readonly status: number;
  readonly responseHeaders: ReadonlyArray<HarHeader>;
  /** Cookies the answer set, by name, from its Set-Cookie headers and HAR's `cookies`. */
  readonly setCookies: ReadonlyArray<{readonly name: string; readonly value: string}>;
  /** The answer's media type, lower case, without parameters ('' when unknown). */
  readonly mimeType: string;
  /** The answer's body as text, when the recording kept it. */
  readonly content?: string;
  /** Where a redirect sends the browser, absolute ('' for none). */
  readonly redirectURL: string;
  /** Chromium's and Playwright's resource type (`document`, `fetch`, `script`, `image`…), when recorded. */
  readonly resourceType?: string;
}

export interface Har {
  /** The tool that wrote it: `Playwright 1.49.0`, `WebInspector 537.36`. */
  readonly creator: string;
  readonly entries: ReadonlyArray<HarEntry>;
}

type Obj = {[key: string]: any};
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads and checks a HAR file; errors name it as `file` (as the user typed it), read at `path`. */
export function readHar(file: string, path = file): Har {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? (error as Error).message})`}`,
      'BRINK_E_INIT',
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    // One line: Node's message quotes the start of the text, newlines and all.
    const why = String((error as Error).message)
      .replace(/\s+/g, ' ')
      .slice(0, 160);
    throw new UsageError(`${file}: not valid JSON: ${why}`, 'BRINK_E_INIT');
  }
  return parseHar(doc, file);
}

/** A parsed HAR document → Har; `file` names it in errors. */
export function parseHar(doc: unknown, file: string): Har {
  if (!isObj(doc) || !isObj(doc.log) || !Array.isArray(doc.log.entries))
    throw new UsageError(
      `${file}: not a HAR file (expected {"log": {"entries": [...]}}, as a browser's "Save all as HAR" writes)`,
      'BRINK_E_INIT',
    );
  const log = doc.log;
  const entries: HarEntry[] = [];
  for (const [i, raw] of (log.entries as unknown[]).entries()) {
    const entry = isObj(raw) ? readEntry(raw) : undefined;
    if (!entry)
      throw new UsageError(`${file}: entry ${i + 1} is not a HAR entry (it needs a request with a method and a URL)`, 'BRINK_E_INIT');
    entries.push(entry);
  }
  if (entries.length === 0) throw new UsageError(`${file}: the recording has no requests: nothing to generate`, 'BRINK_E_INIT');
  const creator =
    isObj(log.creator) && typeof log.creator.name === 'string' ? `${log.creator.name} ${String(log.creator.version ?? '')}`.trim() : '';
  // HAR entries are in the order they started; a file merged by hand may not be.
  const ordered = entries.map((e, i) => ({e, i})).sort((a, b) => a.e.started - b.e.started || a.i - b.i);
  return {creator, entries: ordered.map(({e}) => e)};
}

function readEntry(raw: Obj): HarEntry | undefined {
  const req = raw.request;
  if (!isObj(req) || typeof req.method !== 'string' || typeof req.url !== 'string') return undefined;
  const res: Obj = isObj(raw.response) ? raw.response : {};
  const started = Date.parse(String(raw.startedDateTime ?? ''));
  const requestHeaders = headers(req.headers);
  const responseHeaders = headers(res.headers);
  const content: Obj = isObj(res.content) ? res.content : {};
  let body: string | undefined;
  if (typeof content.text === 'string') {
    body = content.encoding === 'base64' ? Buffer.from(content.text, 'base64').toString('utf8') : content.text;
  }
  const contentType = responseHeaders.find((h) => h.name.toLowerCase() === 'content-type')?.value;
  const mimeType = String(content.mimeType || contentType || '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  const post = isObj(req.postData) ? req.postData : undefined;
  const postData =
    post && (typeof post.text === 'string' || Array.isArray(post.params))
      ? {
          mimeType: String(post.mimeType ?? ''),
          text:
            typeof post.text === 'string'
              ? post.text
              : new URLSearchParams(
                  (post.params as unknown[]).filter(isObj).map((p) => [String(p.name), String(p.value ?? '')]),
                ).toString(),
        }
      : undefined;
  const location = responseHeaders.find((h) => h.name.toLowerCase() === 'location')?.value ?? '';
  let redirectURL = typeof res.redirectURL === 'string' && res.redirectURL ? res.redirectURL : location;
  try {
    redirectURL = redirectURL ? new URL(redirectURL, req.url).href : '';
  } catch {
    redirectURL = '';
  }
  return {
    started: Number.isFinite(started) ? started : 0,
    time: typeof raw.time === 'number' && raw.time > 0 ? raw.time : 0,
    method: req.method.toUpperCase(),
    url: req.url,
    requestHeaders,
    postData,
    status: typeof res.status === 'number' ? res.status : 0,
    responseHeaders,
    setCookies: setCookies(res.cookies, responseHeaders),
    mimeType,
    content: body,
    redirectURL,
    resourceType: typeof raw._resourceType === 'string' ? raw._resourceType.toLowerCase() : undefined,
  };
}

function headers(list: unknown): HarHeader[] {
  if (!Array.isArray(list)) return [];
  return list.filter((h): h is Obj => isObj(h) && typeof h.name === 'string').map((h) => ({name: h.name, value: String(h.value ?? '')}));
}

/** The cookies an answer set: its Set-Cookie headers (one per line: some exports join them), else HAR's list. */
function setCookies(list: unknown, responseHeaders: ReadonlyArray<HarHeader>): Array<{name: string; value: string}> {
  const found = new Map<string, string>();
  for (const h of responseHeaders) {
    if (h.name.toLowerCase() !== 'set-cookie') continue;
    for (const line of h.value.split('\n')) {
      const pair = line.split(';')[0];
      const eq = pair.indexOf('=');
      if (eq > 0) found.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  if (Array.isArray(list)) {
    for (const c of list) {
      if (isObj(c) && typeof c.name === 'string' && !found.has(c.name)) found.set(c.name, String(c.value ?? ''));
    }
  }
  return [...found].map(([name, value]) => ({name, value}));
}
