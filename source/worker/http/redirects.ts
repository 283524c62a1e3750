// Following a redirect, as browsers and fetch do, for quick mode and scenarios alike: where it goes, with which
// method and body, what a report calls its first hop, and which headers stay behind when it leaves the origin.
import {BAD_REDIRECT} from './classify.js';

/** Hops a scenario request follows; quick mode's default (--max-redirects). */
export const MAX_REDIRECTS = 10;

/**
 * Headers that carry credentials: never sent to another origin (scheme, host, port) than the one they were given
 * for, as fetch and curl drop Authorization. --strip-header adds to these. The cookie jar's own cookies are not
 * headers of the request: the jar picks them per URL (RFC 6265), so a cookie of one host never goes to another.
 */
export const CREDENTIAL_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key'];

/** The headers a redirect to another origin drops: the credentials above and `extra`, in lower case. */
export function strippedHeaders(extra: readonly string[] = []): ReadonlySet<string> {
  return new Set([...CREDENTIAL_HEADERS, ...extra.map((h) => h.toLowerCase())]);
}

/** Whether a response is a redirect to follow: a 3xx with a Location (a 304 or a 300 without one is a response). */
export function isRedirect(status: number, location: string | undefined): location is string {
  return status >= 300 && status < 400 && location !== undefined;
}

/** The next hop of a redirect. */
export interface Hop {
  readonly url: URL;
  readonly method: string;
  /** The body stays behind (303, and 301/302 after a POST, turn into a GET without one, as browsers do). */
  readonly dropBody: boolean;
}

/** Where a redirect from `from` (a URL) leads; an Error (kind `protocol`) when its Location is not a URL brink can follow. */
export function nextHop(status: number, location: string, from: string, method: string): Hop | Error {
  let url: URL;
  try {
    url = new URL(location, from);
  } catch {
    return badRedirect(status, location, 'not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return badRedirect(status, location, `${url.protocol} is not http or https`);
  url.hash = '';
  if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
    return {url, method: method === 'HEAD' ? 'HEAD' : 'GET', dropBody: true};
  }
  return {url, method, dropBody: false};
}

function badRedirect(status: number, location: string, why: string): Error {
  return Object.assign(new Error(`a ${status} to ${JSON.stringify(location.slice(0, 100))}, ${why}: not followed`), {code: BAD_REDIRECT});
}

/** What a report says a request's first hop went to: its path (a query may carry a token), with the origin when it left it. */
export function firstHopName(origin: string, next: URL): string {
  return next.origin === origin ? next.pathname : next.origin + next.pathname;
}

/** Headers that describe a body: they go when the body does. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location', 'transfer-encoding'];

/**
 * A hop's headers from the request's (any case): `host` for the hop's URL, without `strip` once the chain left its
 * origin (`crossed`: it stays crossed, as fetch keeps them dropped, even when a later hop comes back), without
 * the body's headers when the body stays behind. Names come out in lower case.
 */
export function hopHeaders(
  headers: Readonly<Record<string, string>>,
  hop: Hop,
  crossed: boolean,
  strip: ReadonlySet<string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const lower = name.toLowerCase();
    if (crossed && strip.has(lower)) continue;
    if (hop.dropBody && BODY_HEADERS.includes(lower)) continue;
    out[lower] = headers[name];
  }
  out.host = hop.url.host;
  return out;
}
