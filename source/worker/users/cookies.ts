// A virtual user's cookie jar: tough-cookie keeps the rules (domains, paths, expiry, public suffixes), and a
// small cache in front of it saves asking the jar on every request — the jar's lookup cost about 8 % of a
// scenario request (bench/), while a user's cookies rarely change between two requests.
import {createRequire} from 'node:module';
import type {Cookie} from 'tough-cookie';
import {pathOnly} from '../http/paths.js';

// tough-cookie's CommonJS build: imported as ESM it took ~40 ms of a worker's start-up (its ESM graph
// and tldts's), required ~17 ms. It is loaded by scenario workers only, before their first request.
const {CookieJar, pathMatch} = createRequire(import.meta.url)('tough-cookie') as typeof import('tough-cookie');

interface Cached {
  readonly version: number;
  /** Every cookie for the origin, whatever its path, in the jar's order (longest path first). */
  readonly cookies: readonly Cookie[];
  /** The header when every cookie is for the whole site (Path=/, the usual case): no path to match. */
  readonly everywhere: string | undefined;
  /** When the first of these cookies expires (epoch ms; Infinity: none does). */
  readonly validUntil: number;
}

export class Cookies {
  private readonly jar = new CookieJar(undefined, {looseMode: true});
  /** Bumped by every change to the jar: the cache holds only what was read at the current version. */
  private version = 0;
  private readonly cache = new Map<string, Cached>();
  /** The origin read last, and what was read for it: a user mostly asks about one origin, again and again. */
  private lastOrigin = '';
  private last: Cached | undefined;

  /** The Cookie header for a request to `origin` + `path` (its query, if any, is ignored); '' when none. `now`: epoch ms. */
  header(origin: string, path: string, now = Date.now()): string {
    let cached = origin === this.lastOrigin ? this.last : this.cache.get(origin);
    if (!cached || cached.version !== this.version || now >= cached.validUntil) {
      const cookies = this.jar.getCookiesSync(`${origin}/`, {allPaths: true, sort: true});
      // Only the jar's own methods change it (each bumps the version), so what was read holds until a cookie in
      // it expires: a user who thinks for seconds between requests would otherwise ask the jar every time.
      let validUntil = Infinity;
      for (const c of cookies) {
        const expiry = c.expiryTime();
        if (expiry !== undefined && expiry < validUntil) validUntil = expiry;
      }
      const everywhere = cookies.every((c) => !c.path || c.path === '/') ? cookies.map((c) => c.cookieString()).join('; ') : undefined;
      cached = {version: this.version, cookies, everywhere, validUntil};
      this.cache.set(origin, cached);
    }
    this.lastOrigin = origin;
    this.last = cached;
    const {cookies, everywhere} = cached;
    if (everywhere !== undefined) return everywhere;
    const bare = pathOnly(path);
    let out = '';
    for (const c of cookies) {
      if (c.path && !pathMatch(bare, c.path)) continue;
      out = out === '' ? c.cookieString() : `${out}; ${c.cookieString()}`;
    }
    return out;
  }

  /** Stores the Set-Cookie header(s) of a response from `href`; a cookie the jar refuses is ignored. */
  store(setCookie: string | string[], href: string): void {
    for (const c of Array.isArray(setCookie) ? setCookie : [setCookie]) this.jar.setCookieSync(c, href, {ignoreError: true});
    this.version++;
  }

  /** The value of cookie `name` as a request to `href` would send it. */
  get(name: string, href: string): string | undefined {
    return this.jar.getCookiesSync(href).find((c) => c.key === name)?.value;
  }

  clear(): void {
    this.jar.removeAllCookiesSync();
    this.version++;
  }
}
