// Which recorded requests become the flow: the page's own origin (others on request), no static assets
// (unless asked), no CORS preflights or unanswered requests, and a redirect the browser followed folded
// into the request that caused it, since brink's session follows redirects itself.
import type {HarEntry} from './har-file.js';

export interface SelectOptions {
  /** Hosts to keep besides the page's own (`api.example.com`, `cdn.example.com:8443`). */
  readonly hosts?: ReadonlyArray<string>;
  /** Keep every host. */
  readonly allHosts?: boolean;
  /** Keep scripts, styles, images, fonts and media too. */
  readonly assets?: boolean;
}

/** One request of the flow. */
export interface Step {
  /** The request as the browser sent it. */
  readonly entry: HarEntry;
  /** The redirects it led to, in order (empty when none): brink follows them, so they are not sent again. */
  readonly followed: ReadonlyArray<HarEntry>;
  readonly url: URL;
  /** On the page's own origin: written as a path, so that --host points it elsewhere. */
  readonly own: boolean;
}

export interface Selection {
  /** The page's own origin: the first document's (or the first request's). */
  readonly origin: string;
  readonly steps: ReadonlyArray<Step>;
  readonly dropped: {assets: number; otherHosts: number; preflights: number; unanswered: number; notHttp: number};
  /** The other hosts dropped, for the message that says how to keep them. */
  readonly droppedHosts: ReadonlyArray<string>;
  /** Entries dropped, so cookies they set can be told apart from ones no answer set. */
  readonly droppedEntries: ReadonlyArray<HarEntry>;
}

const ASSET_TYPES = new Set(['stylesheet', 'script', 'image', 'font', 'media', 'manifest', 'texttrack', 'imageset']);
const ASSET_MIME =
  /^(text\/css|(text|application)\/(x-)?(java|ecma)script|application\/(x-)?font|font\/|image\/|audio\/|video\/|application\/wasm$|application\/manifest\+json$|text\/vtt$)/;
const ASSET_EXTENSION =
  /\.(js|mjs|cjs|css|map|png|jpe?g|gif|svg|ico|webp|avif|bmp|tiff?|woff2?|ttf|otf|eot|mp[34]|webm|ogg|wav|m4a|mov|wasm|webmanifest)$/i;

/** A script, style, image, font or media file, by resource type, answer type or extension. */
export function isAsset(entry: HarEntry, url: URL): boolean {
  if (entry.resourceType && ASSET_TYPES.has(entry.resourceType)) return true;
  if (entry.resourceType === 'document' || entry.resourceType === 'fetch' || entry.resourceType === 'xhr') return false;
  if (ASSET_MIME.test(entry.mimeType)) return true;
  return ASSET_EXTENSION.test(url.pathname) || url.pathname === '/favicon.ico';
}

const isPreflight = (e: HarEntry) =>
  e.method === 'OPTIONS' && e.requestHeaders.some((h) => h.name.toLowerCase() === 'access-control-request-method');

const isDocument = (e: HarEntry) =>
  e.resourceType === 'document' || (e.resourceType === undefined && e.method === 'GET' && e.mimeType === 'text/html');

/** `host` or `host:port`, as --har-hosts names them (a URL given there is reduced to its host). */
function hostMatches(url: URL, wanted: ReadonlyArray<string>): boolean {
  return wanted.some((w) => {
    let h = w.trim().toLowerCase();
    if (/^[a-z][a-z0-9+.-]*:\/\//.test(h)) {
      try {
        h = new URL(h).host;
      } catch {
        return false;
      }
    }
    return h !== '' && (url.host === h || url.hostname === h);
  });
}

export function selectSteps(entries: ReadonlyArray<HarEntry>, options: SelectOptions = {}): Selection {
  const parsed = entries.map((entry) => {
    try {
      return {entry, url: new URL(entry.url)};
    } catch {
      return {entry, url: undefined};
    }
  });
  const http = parsed.filter((p): p is {entry: HarEntry; url: URL} => p.url !== undefined && /^https?:$/.test(p.url.protocol));
  const first = http.find((p) => isDocument(p.entry)) ?? http[0];
  const origin = first?.url.origin ?? '';
  const dropped = {assets: 0, otherHosts: 0, preflights: 0, unanswered: 0, notHttp: entries.length - http.length};
  const droppedHosts = new Set<string>();
  const droppedEntries: HarEntry[] = parsed.filter((p) => !http.includes(p as {entry: HarEntry; url: URL})).map((p) => p.entry);

  // Redirects first, over every entry: a followed hop is not a request of its own, whatever its host.
  const followedBy = new Map<HarEntry, HarEntry[]>();
  const hop = new Set<HarEntry>();
  for (let i = 0; i < http.length; i++) {
    const {entry} = http[i];
    if (hop.has(entry)) continue;
    const chain: HarEntry[] = [];
    let current = entry;
    let from = i;
    while (current.status >= 300 && current.status < 400 && current.redirectURL && chain.length < 20) {
      const nextIndex = http.findIndex((p, j) => j > from && p.entry.url === current.redirectURL && !hop.has(p.entry));
      if (nextIndex < 0) break;
      const next = http[nextIndex].entry;
      chain.push(next);
      hop.add(next);
      current = next;
      from = nextIndex;
    }
    if (chain.length > 0) followedBy.set(entry, chain);
  }

  const steps: Step[] = [];
  for (const {entry, url} of http) {
    if (hop.has(entry)) continue;
    const own = url.origin === origin;
    let why: keyof typeof dropped | undefined;
    if (isPreflight(entry)) why = 'preflights';
    else if (entry.status === 0) why = 'unanswered';
    else if (!own && !options.allHosts && !hostMatches(url, options.hosts ?? [])) {
      why = 'otherHosts';
      droppedHosts.add(url.host);
    } else if (!options.assets && isAsset(entry, url)) why = 'assets';
    if (why) {
      dropped[why]++;
      droppedEntries.push(entry, ...(followedBy.get(entry) ?? []));
      continue;
    }
    steps.push({entry, followed: followedBy.get(entry) ?? [], url, own});
  }
  return {origin, steps, dropped, droppedHosts: [...droppedHosts], droppedEntries};
}
