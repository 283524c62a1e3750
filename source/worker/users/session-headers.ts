// A session's default headers (set by the scenario: auth after a login, an Accept…) and how each request's
// headers are made from them: as an object for undici, or as request text for the h1 client, where the
// defaults are checked and formatted once rather than on every request.
import type {RequestOptions} from '../../scenario/types.js';
import {headerLines, plainValue, requestBytes, requestWith, type HeaderLines} from '../http/h1-text.js';
import type {Body} from '../http/request-body.js';

/** Default headers a request's own may merge with, so never part of the preset lines. */
const PER_REQUEST: ReadonlySet<string> = new Set(['host', 'content-type', 'cookie']);

/** What a request adds to the defaults. */
export interface RequestParts {
  readonly extra: RequestOptions['headers'];
  readonly body: Body;
  readonly contentType: string | undefined;
  /** The jar's Cookie header for this request ('' for none). */
  readonly cookie: string;
  /** Headers left out, the session's and the request's own (a redirect left the origin): the jar's cookies still go. */
  readonly strip?: ReadonlySet<string>;
}

/** The defaults as lines checked once, and whether a request without headers of its own can go with them as they are. */
interface Preset {
  readonly lines: HeaderLines | undefined;
  /** No default host, content type or cookie: nothing to merge with what a request adds. */
  readonly plain: boolean;
}

/** The header lines of the last request made from a preset: users send the same ones again and again. */
interface LastLines {
  readonly preset: Preset;
  readonly host: string;
  readonly contentType: string | undefined;
  readonly cookie: string;
  readonly text: string;
}

export class SessionHeaders {
  private readonly defaults: Record<string, string> = {};
  /** preset()'s cache; null: to be made again (the defaults changed). */
  private made: Preset | null = null;
  private checkedCookie = '';
  private last: LastLines | undefined;

  constructor(initial: Readonly<Record<string, string>> = {}) {
    for (const k in initial) this.defaults[k.toLowerCase()] = initial[k];
  }

  set(name: string, value: string | undefined): void {
    this.made = null;
    if (value === undefined) delete this.defaults[name.toLowerCase()];
    else this.defaults[name.toLowerCase()] = value;
  }

  /**
   * A request's headers: the defaults (all of them, or with `only` just those), its own, its content type
   * (dropped without a body) and the jar's cookies after any set by hand.
   */
  object(parts: RequestParts, only?: ReadonlySet<string>): Record<string, string> {
    const headers: Record<string, string> = {};
    const {defaults} = this;
    if (only) {
      for (const k of only) if (defaults[k] !== undefined) headers[k] = defaults[k];
    } else Object.assign(headers, defaults);
    const {extra, contentType, cookie, strip} = parts;
    if (extra) for (const k in extra) headers[k.toLowerCase()] = extra[k];
    if (strip) for (const k of strip) delete headers[k];
    if (contentType && !headers['content-type']) headers['content-type'] = contentType;
    if (!contentType && parts.body === undefined) delete headers['content-type'];
    if (cookie) headers.cookie = headers.cookie ? `${headers.cookie}; ${cookie}` : cookie;
    return headers;
  }

  /**
   * The request as the h1 client sends it (a latin-1 string, or bytes with a body), or undefined when it
   * needs undici. `host` is `host[:port]`; `path` is plain (as Session.target makes it). Most requests add
   * only host, a content type and cookies to the preset lines.
   */
  h1(method: string, host: string, path: string, parts: RequestParts): Buffer | string | undefined {
    const made = this.preset();
    const preset = made.lines;
    const body = parts.body as string | Uint8Array | undefined;
    if (made.plain && !parts.extra && parts.strip === undefined && this.plainCookie(parts.cookie))
      return requestWith(method, path, this.lines(made, host, parts.contentType, parts.cookie), body);
    // Without some of the defaults: made whole, not from the preset lines (a redirect to another origin, rare).
    if (parts.strip) return requestBytes(method, path, {host, ...this.object(parts)}, body);
    const own = this.object(parts, PER_REQUEST);
    own.host ??= host;
    return (preset && requestBytes(method, path, own, body, preset)) ?? requestBytes(method, path, {host, ...this.object(parts)}, body);
  }

  /** The preset lines with host, content type and cookie: remembered for the next request, which mostly has the same. */
  private lines(preset: Preset, host: string, contentType: string | undefined, cookie: string): string {
    const last = this.last;
    if (last && last.preset === preset && last.host === host && last.contentType === contentType && last.cookie === cookie)
      return last.text;
    let text = `host: ${host}\r\n${preset.lines!.text}`;
    if (contentType) text += `content-type: ${contentType}\r\n`;
    if (cookie) text += `cookie: ${cookie}\r\n`;
    // Made flat once: a string built by concatenation is a tree of pieces that every socket write would walk again.
    text = Buffer.from(text, 'latin1').toString('latin1');
    this.last = {preset, host, contentType, cookie, text};
    return text;
  }

  /** Whether the jar's Cookie header can go as is; the last one checked is remembered (it rarely changes). */
  private plainCookie(cookie: string): boolean {
    if (cookie === this.checkedCookie) return true;
    if (!plainValue(cookie)) return false;
    this.checkedCookie = cookie;
    return true;
  }

  /** The defaults but those merged per request, as lines checked once (undefined: not sendable as is). */
  private preset(): Preset {
    if (this.made === null) {
      const {defaults} = this;
      const rest: Record<string, string> = {};
      for (const k in defaults) if (!PER_REQUEST.has(k)) rest[k] = defaults[k];
      const lines = headerLines(rest);
      this.made = {
        lines,
        plain:
          lines !== undefined && defaults.host === undefined && defaults['content-type'] === undefined && defaults.cookie === undefined,
      };
    }
    return this.made;
  }
}
