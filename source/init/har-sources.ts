// Correlation's first half: the values the recording received (a JSON field anywhere in an answer, a cookie an
// answer set, an <input> or <meta> of an HTML page, a token-like response header), indexed by value, so that a
// value sent later can be traced to the answer it came from and read from that answer at run time.
import {loadHtmlParser} from '../scenario/html.js';
import type {HarEntry} from './har-file.js';

export type SourceKind = 'json' | 'field' | 'header' | 'cookie';

export interface Source {
  /** The step whose answer holds it. */
  readonly step: number;
  readonly kind: SourceKind;
  /** The JSON field's key, the input's or meta's name, the header's or cookie's name. */
  readonly name: string;
  /** The value as text (a JSON number as its digits). */
  readonly value: string;
  /** Where in the JSON answer (keys and indexes), for kind json. */
  readonly path?: ReadonlyArray<string | number>;
  /** A JSON number. */
  readonly numeric?: boolean;
  /** A cookie whose value is URL-encoded and was sent decoded (Angular's and Laravel's XSRF-TOKEN). */
  readonly decoded?: boolean;
  /** Kept only for its id-like name (`id`, `product_id`): matched only where an id is sent. */
  readonly idOnly: boolean;
}

/** `id`, `uuid`, `product_id`, `productId`, `order-uuid`. */
export const ID_KEY = /^(id|uuid|guid|pk)$|[_-](id|uuid|guid|pk)$|[a-z0-9](Id|ID|Uuid|UUID|Pk)$/;

/** A value worth tracing: long enough, no spaces, with a digit (tokens, ids, hashes); or an id by its name. */
export function traceable(value: string, key: string | undefined): {ok: boolean; idOnly: boolean} {
  if (value.length >= 8 && value.length <= 8192 && !/\s/.test(value) && /\d/.test(value)) return {ok: true, idOnly: false};
  if (key !== undefined && ID_KEY.test(key) && /^[\w.~-]{1,64}$/.test(value)) return {ok: true, idOnly: true};
  return {ok: false, idOnly: false};
}

const MAX_BODY = 4 * 1024 * 1024;
const MAX_NODES = 20_000;

/** Response headers that never carry a value sent back. */
const PLAIN_RESPONSE_HEADER =
  /^(date|expires|last-modified|etag|age|server|vary|via|content-.*|cache-control|pragma|connection|keep-alive|transfer-encoding|location|set-cookie|access-control-.*|strict-transport-security|x-powered-by|x-frame-options|x-content-type-options|x-xss-protection|report-to|nel|alt-svc|timing-allow-origin|server-timing|referrer-policy|permissions-policy|cross-origin-.*)$/i;

/** Every traceable value of a step's answer: `final` is the last hop (its body is what brink's response holds). */
export function sourcesOf(step: number, hops: ReadonlyArray<HarEntry>, final: HarEntry): Source[] {
  const found: Source[] = [];
  const add = (s: Omit<Source, 'step' | 'idOnly'>, key: string | undefined) => {
    const t = traceable(s.value, key);
    if (t.ok) found.push({...s, step, idOnly: t.idOnly});
  };
  for (const hop of hops) {
    for (const c of hop.setCookies) {
      if (c.value === '') continue;
      add({kind: 'cookie', name: c.name, value: c.value}, undefined);
      let decoded: string | undefined;
      try {
        decoded = decodeURIComponent(c.value);
      } catch {
        decoded = undefined;
      }
      if (decoded !== undefined && decoded !== c.value) add({kind: 'cookie', name: c.name, value: decoded, decoded: true}, undefined);
    }
  }
  for (const h of final.responseHeaders) {
    if (PLAIN_RESPONSE_HEADER.test(h.name)) continue;
    add({kind: 'header', name: h.name.toLowerCase(), value: h.value.trim()}, undefined);
  }
  const body = final.content;
  if (body === undefined || body.length > MAX_BODY) return found;
  if (/json/.test(final.mimeType) || /^\s*[{[]/.test(body)) {
    let doc: unknown;
    try {
      doc = JSON.parse(body);
    } catch {
      doc = undefined;
    }
    if (doc !== undefined)
      jsonSources(doc, (path, value, numeric) => add({kind: 'json', name: lastKey(path), value, path, numeric}, lastKey(path)));
  } else if (/html|xml/.test(final.mimeType) || /^\s*</.test(body)) {
    // The first element of each name: what `res.formField(name)` reads at run time.
    const seen = new Set<string>();
    for (const el of loadHtmlParser()(body).querySelectorAll('input, meta, textarea')) {
      const name = el.getAttribute('name');
      if (!name || seen.has(name)) continue;
      seen.add(name);
      const value = el.tagName === 'TEXTAREA' ? el.text : (el.getAttribute(el.tagName === 'META' ? 'content' : 'value') ?? '');
      add({kind: 'field', name, value}, name);
    }
  }
  return found;
}

function lastKey(path: ReadonlyArray<string | number>): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return '';
}

/** Calls `found` for each string and number leaf, depth first, in document order. */
function jsonSources(doc: unknown, found: (path: Array<string | number>, value: string, numeric: boolean) => void): void {
  let nodes = 0;
  const walk = (value: unknown, path: Array<string | number>): void => {
    if (++nodes > MAX_NODES) return;
    if (typeof value === 'string') found(path, value, false);
    else if (typeof value === 'number' && Number.isSafeInteger(value)) found(path, String(value), true);
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  walk(doc, []);
}

/** Where a value is sent: decides which source fits best when several answers held it. */
export type TargetPlace = 'header' | 'path' | 'query' | 'form' | 'json';

/** All sources, indexed by value. */
export class SourceIndex {
  private readonly byValue = new Map<string, Source[]>();

  add(sources: ReadonlyArray<Source>): void {
    for (const s of sources) {
      const list = this.byValue.get(s.value);
      if (list) list.push(s);
      else this.byValue.set(s.value, [s]);
    }
  }

  /**
   * The source of a value sent by step `step`: the latest answer before it that held the value. At the same
   * answer, a header takes a cookie first (a CSRF header echoes its cookie), a form or a body takes a field
   * of the page or the JSON first. An id-only source (short, kept for its name) fits only where an id is sent.
   */
  find(value: string, step: number, place: TargetPlace, idLike: boolean): Source | undefined {
    const list = this.byValue.get(value);
    if (!list) return undefined;
    const order: SourceKind[] = place === 'header' ? ['cookie', 'header', 'json', 'field'] : ['field', 'json', 'header', 'cookie'];
    let best: Source | undefined;
    for (const s of list) {
      if (s.step >= step || (s.idOnly && !idLike)) continue;
      if (!best || s.step > best.step || (s.step === best.step && order.indexOf(s.kind) < order.indexOf(best.kind))) best = s;
    }
    return best;
  }
}
