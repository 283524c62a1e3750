// `brink init --from-har`: a browser's recording (HAR 1.2) → one ordered flow of its requests, as a scenario a
// user can read and edit. Kept: methods, paths (relative, so --host moves the flow), bodies, the pauses between
// requests, the headers an app reads. Dropped: static assets and other hosts (unless asked), redirect hops
// (brink follows them), headers bound to the recording's browser, host or connection. Never copied: cookies (the
// session keeps its own) and Authorization values. Correlated: a value the recording received in an answer and
// sent back later is read from that answer at run time (har-sources.ts) and sent where the recording sent it.
import {basename, extname} from 'node:path';
import {shellQuote} from '../kernel/shell-quote.js';
import type {Har, HarEntry} from './har-file.js';
import {selectSteps, type Selection, type SelectOptions, type Step} from './har-select.js';
import {ID_KEY, SourceIndex, sourcesOf, type Source, type TargetPlace} from './har-sources.js';
import {Code, constantName, escapeTemplate, identifier, literal, oneLine, str, type Value} from './har-code.js';

export type {SelectOptions} from './har-select.js';

export interface Correlation {
  /** Where the recording sent the value: `POST /login: form field csrfmiddlewaretoken`. */
  readonly to: string;
  /** The answer it is read from at run time: `GET /login: <input name="csrfmiddlewaretoken">`. */
  readonly from: string;
}

export interface HarScenario {
  readonly source: string;
  /** The page's own origin, which --host replaces. */
  readonly origin: string;
  /** Entries in the recording. */
  readonly recorded: number;
  /** Requests in the flow, and their endpoint names (as brink's table shows them), in order. */
  readonly names: ReadonlyArray<string>;
  readonly dropped: Selection['dropped'];
  readonly droppedHosts: ReadonlyArray<string>;
  /** Redirect hops folded into the request that caused them. */
  readonly redirects: number;
  readonly correlations: ReadonlyArray<Correlation>;
  /** The constants marked for a feeder or an environment variable (credentials, keys, tokens to fill in). */
  readonly credentials: ReadonlyArray<string>;
}

/** Request headers never copied: bound to the browser, the recording's host or its connection, or set by brink. */
const DROPPED_HEADER =
  /^(:.*|host|cookie|content-length|connection|keep-alive|proxy-.*|te|trailer|transfer-encoding|upgrade|accept-encoding|accept-language|user-agent|sec-.*|upgrade-insecure-requests|cache-control|pragma|priority|dnt|purpose|if-none-match|if-modified-since|if-match|if-unmodified-since|if-range|range|x-client-data)$/i;
/** A header whose uncorrelated value is a credential. */
const SECRET_HEADER = /api[-_]?key|token|secret|auth/i;
/** A field that holds a credential. */
const SECRET_KEY =
  /^(pass|pwd|pin|otp|pass_?code|api_?key|apikey|access_?key|client_?secret|token|access_?token)$|password|passwd|passphrase|secret/i;
/** The account a password goes with. */
const LOGIN_KEY = /^(user|login|account|email|e-mail|mail|identifier|principal)$|user_?name|username|email|login/i;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const METHOD_CALLS = new Set(['GET', 'HEAD', 'DELETE', 'POST', 'PUT', 'PATCH']);

/** A path segment that is an id: a number, a UUID, a hex id, a long token. */
export function isDynamicSegment(segment: string): boolean {
  if (/^\d+$/.test(segment)) return true;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(segment)) return true;
  if (/^[0-9a-f]{8,}$/i.test(segment) && /\d/.test(segment)) return true;
  // A long token: letters and digits mixed (a slug of words, `usb-c-hub-2024`, stays a name).
  return (
    segment.length >= 16 &&
    /^[\w-]+$/.test(segment) &&
    /\d/.test(segment) &&
    /[A-Za-z]/.test(segment) &&
    !/^[a-z]+(-[a-z0-9]+)+$/.test(segment)
  );
}

interface Use {
  readonly step: number;
  readonly where: string;
}

interface Extraction {
  readonly variable: string;
  readonly uses: Use[];
}

interface StepPlan {
  readonly step: Step;
  readonly method: string;
  readonly name: string;
  /** Whether `name` differs from brink's default (method + path without the query). */
  readonly named: boolean;
  readonly url: string;
  readonly options: Array<[string, Value]>;
  readonly headers: Array<[string, Value]>;
  /** The correlated bearer token it sent, if any. */
  bearer?: Code;
  readonly comments: string[];
  readonly sleep: number;
}

/** `harFile` and `outFile` as the user named them: the file's header shows them in the commands it gives. */
export function scenarioFromHar(har: Har, harFile: string, outFile: string, options: SelectOptions = {}): HarScenario {
  return new HarGenerator(har, options).generate(harFile, outFile);
}

class HarGenerator {
  readonly selection: Selection;
  readonly steps: ReadonlyArray<Step>;
  readonly index = new SourceIndex();
  /** Identifiers of the flow's scope (module constants included). */
  readonly used = new Set<string>();
  readonly constants: Array<{name: string; value: Value; note: string}> = [];
  readonly constantByValue = new Map<string, string>();
  readonly responseVars = new Map<number, string>();
  readonly extractions = new Map<Source, Extraction>();
  readonly correlations: Correlation[] = [];
  readonly unsetCookies = new Map<string, 'dropped' | 'unset'>();
  usesOrigin = false;

  constructor(
    readonly har: Har,
    options: SelectOptions,
  ) {
    this.selection = selectSteps(har.entries, options);
    this.steps = this.selection.steps;
    this.steps.forEach((s, i) => this.index.add(sourcesOf(i, [s.entry, ...s.followed], finalHop(s))));
  }

  generate(harFile: string, outFile: string): HarScenario {
    const plans = this.steps.map((s, i) => this.plan(s, i));
    const lines = this.flow(plans);
    const name = basename(outFile, extname(outFile));
    const header = this.header(harFile, outFile, plans);
    const imports = ['scenario', 'user', 'task', 'between'];
    const out: string[] = [...header, `import {${imports.join(', ')}} from 'brink';`, ''];
    if (this.constants.length > 0) {
      out.push('// TODO: move to a feeder (csv) or an environment variable: what the recording logged in with.');
      for (const c of this.constants) {
        if (c.note) out.push(`// ${c.note}`);
        out.push(`const ${c.name} = ${literal(c.value, 0)};`);
      }
      out.push('');
    }
    const sleeps = plans.some((p) => p.sleep > 0);
    out.push(
      '// One pass of the flow is one recorded visit; a user starts the next pass 1 to 3 s after the last ends.',
      `export const visitor = user('visitor', {wait: between(1, 3)}, [`,
      `  task('recorded flow', async ({${sleeps ? 'http, sleep' : 'http'}}) => {`,
      ...lines.map((l) => (l === '' ? '' : `    ${l}`)),
      '  }),',
      ']);',
      '',
      `export default scenario({name: ${str(name)}, users: [visitor]});`,
      '',
    );
    return {
      source: out.join('\n'),
      origin: this.selection.origin,
      recorded: this.har.entries.length,
      names: plans.map((p) => p.name),
      dropped: this.selection.dropped,
      droppedHosts: this.selection.droppedHosts,
      redirects: this.steps.reduce((n, s) => n + s.followed.length, 0),
      correlations: this.correlations,
      credentials: this.constants.map((c) => c.name),
    };
  }

  header(harFile: string, outFile: string, plans: ReadonlyArray<StepPlan>): string[] {
    const {dropped, origin, droppedHosts} = this.selection;
    const n = plans.length;
    const parts: string[] = [];
    if (dropped.assets > 0) parts.push(`${count(dropped.assets, 'static asset')} (--har-assets keeps them)`);
    if (dropped.otherHosts > 0)
      parts.push(
        `${count(dropped.otherHosts, 'request')} to other hosts (${droppedHosts.slice(0, 3).join(', ')}${droppedHosts.length > 3 ? '…' : ''}: --har-hosts keeps them)`,
      );
    if (dropped.preflights > 0) parts.push(count(dropped.preflights, 'CORS preflight'));
    if (dropped.unanswered > 0) parts.push(`${count(dropped.unanswered, 'request')} with no answer`);
    const redirects = this.steps.reduce((k, s) => k + s.followed.length, 0);
    const lines = [
      ...wrap(
        `Generated by \`brink init --from-har ${shellQuote(harFile)}\` from a recording of ${origin}` +
          `${this.har.creator ? ` (${oneLine(this.har.creator)})` : ''}: its ${count(n, 'request')} as one flow, in order, ` +
          `with the recorded pauses between them.${parts.length > 0 ? ` Dropped: ${parts.join('; ')}.` : ''}`,
      ),
      ...wrap(
        (redirects > 0 ? `A redirect the browser followed is one request here: brink follows it. ` : '') +
          'Paths are relative, so --host points the flow at any deployment. No recorded cookie or Authorization value ' +
          'is copied: the session keeps its own cookies, and a value the recording received in an answer and sent back ' +
          '(a token, a CSRF field, an id) is read from that answer at run time (the lines that say so).',
      ),
    ];
    if (this.unsetCookies.size > 0) {
      const names = (kind: 'dropped' | 'unset') =>
        [...this.unsetCookies]
          .filter(([, k]) => k === kind)
          .map(([c]) => c)
          .join(', ');
      if (names('unset'))
        lines.push(
          ...wrap(
            `TODO: the recording sent cookies no recorded answer set (${names('unset')}): from before the recording or set by a ` +
              "script. They are not sent: record from a new browser profile, or add what the app needs (headers: {cookie: '…'}).",
          ),
        );
      if (names('dropped'))
        lines.push(
          ...wrap(`Cookies set by dropped requests (${names('dropped')}) are not sent: keep those requests if the app needs them.`),
        );
    }
    lines.push('//', `//   brink run ${shellQuote(outFile)} --host ${origin}`);
    return lines;
  }

  /** A step's request: what it sends, with each correlated value replaced by the code that reads it. */
  plan(step: Step, i: number): StepPlan {
    const {entry, url} = step;
    const method = entry.method;
    const comments: string[] = [];
    // The path: ids named, correlated segments read at run time.
    const decode = (raw: string): string => {
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    };
    const segments = url.pathname.split('/').slice(1);
    const correlated = segments.map((raw) => (raw ? this.index.find(decode(raw), i, 'path', true) : undefined));
    const request = `${method} ${segments.map((raw, k) => `/${correlated[k] || isDynamicSegment(decode(raw)) ? ':id' : raw}`).join('') || '/'}`;
    let template = '';
    let dynamic = false;
    let named = '';
    for (const [k, raw] of segments.entries()) {
      const segment = decode(raw);
      const source = correlated[k];
      if (source) {
        const ref = this.ref(source, {step: i, where: `the path of ${request}`});
        const inner = source.numeric || /^[\w.~-]+$/.test(segment) ? ref.code : `encodeURIComponent(${ref.code})`;
        template += `/\${${inner}}`;
        named += '/:id';
        dynamic = true;
      } else {
        template += `/${escapeTemplate(raw)}`;
        if (segment && isDynamicSegment(segment)) {
          named += '/:id';
          dynamic = true;
        } else named += `/${raw}`;
      }
    }
    const hasCode = template.includes('${');
    // The query: as recorded, unless a value in it is read at run time or is a credential.
    const params = [...url.searchParams];
    const query: Array<[string, Value]> = params.map(([k, v]) => [k, this.value(v, k, i, 'query', `the query's ${k} of ${request}`)]);
    const options: Array<[string, Value]> = [];
    let path = hasCode ? template : url.pathname;
    if (query.some(([, v]) => v instanceof Code)) {
      const grouped: {[k: string]: Value} = {};
      for (const [k, v] of query) {
        const before = grouped[k];
        grouped[k] = before === undefined ? v : Array.isArray(before) ? [...before, v] : [before, v];
      }
      options.push(['query', grouped]);
    } else path += url.search;
    const base = step.own ? '' : url.origin;
    const urlCode = hasCode ? `\`${escapeTemplate(base)}${path}\`` : str(base + path);
    const name = `${method} ${named || '/'}`;
    if (dynamic) options.push(['name', name]);

    // The body.
    const body = this.body(entry, i, name);
    if (body) options.push(body.option);

    // Headers.
    const headers: Array<[string, Value]> = [];
    let bearer: Code | undefined;
    for (const h of entry.requestHeaders) {
      const lower = h.name.toLowerCase();
      if (DROPPED_HEADER.test(lower) || headers.some(([n]) => n === lower)) continue;
      const value = h.value.trim();
      if (lower === 'authorization') {
        const auth = this.authorization(value, i, name);
        if (auth instanceof Code && auth.code.startsWith('bearer:')) bearer = new Code(auth.code.slice(7));
        else headers.push([lower, auth]);
      } else if (lower === 'origin' || lower === 'referer') {
        if (SAFE_METHODS.has(method)) continue;
        let recorded: URL;
        try {
          recorded = new URL(value);
        } catch {
          continue;
        }
        if (recorded.origin !== this.selection.origin) continue;
        if (lower === 'origin') {
          this.usesOrigin = true;
          headers.push(['origin', new Code('origin')]);
        } else headers.push(['referer', new Code(`\`\${http.baseUrl}${escapeTemplate(recorded.pathname + recorded.search)}\``)]);
      } else if (lower === 'accept') {
        if (value === '*/*' || /^(text\/html|text\/css|image\/)/.test(value)) continue;
        headers.push([lower, value]);
      } else if (lower === 'content-type') {
        if (body && body.option[0] !== 'body') continue;
        headers.push([lower, value]);
      } else {
        const source = this.index.find(value, i, 'header', false);
        if (source) headers.push([lower, this.ref(source, {step: i, where: `the ${h.name} header of ${name}`})]);
        else if (SECRET_HEADER.test(lower) && value.length >= 8)
          headers.push([lower, this.constant(lower, value, `the ${h.name} header the recording sent`)]);
        else headers.push([lower, value]);
      }
    }
    this.noteCookies(entry, i);

    const final = finalHop(step);
    if (step.followed.length > 0) {
      const to = new URL(final.url);
      const shown = to.origin === this.selection.origin ? to.pathname + to.search : to.href;
      comments.push(
        `answered ${entry.status}, then ${step.followed.length > 1 ? `${step.followed.length} redirects to ` : ''}${shown}: brink follows it`,
      );
    }
    if (final.status >= 400) options.push(['expect', final.status]);

    // The pause before it: from the end of the previous request (and its redirects) to this one's start.
    let sleep = 0;
    if (i > 0) {
      const prev = this.steps[i - 1];
      const end = Math.max(...[prev.entry, ...prev.followed].map((e) => e.started + e.time));
      const gap = (entry.started - end) / 1000;
      if (gap >= 0.05) sleep = Math.max(0.1, Math.round(gap * 10) / 10);
    }
    return {step, method, name, named: dynamic, url: urlCode, options, headers, bearer, comments, sleep};
  }

  /** A body as json, form or raw, with correlated fields read at run time and credentials as constants. */
  body(entry: HarEntry, i: number, request: string): {option: [string, Value]} | undefined {
    const post = entry.postData;
    if (!post || post.text === '') return undefined;
    const type = (post.mimeType || entry.requestHeaders.find((h) => h.name.toLowerCase() === 'content-type')?.value || '').toLowerCase();
    if (/json/.test(type)) {
      let doc: unknown;
      try {
        doc = JSON.parse(post.text);
      } catch {
        doc = undefined;
      }
      if (doc !== undefined) {
        const login = hasKey(doc, (k) => SECRET_KEY.test(k));
        return {option: ['json', this.jsonValue(doc, undefined, i, request, login)]};
      }
    }
    if (/x-www-form-urlencoded/.test(type)) {
      const pairs = [...new URLSearchParams(post.text)];
      if (new Set(pairs.map(([k]) => k)).size === pairs.length) {
        const login = pairs.some(([k]) => SECRET_KEY.test(k));
        const form: {[k: string]: Value} = {};
        for (const [k, v] of pairs) {
          const secret = SECRET_KEY.test(k) || (login && LOGIN_KEY.test(k));
          form[k] = this.value(v, k, i, 'form', `the form's ${k} of ${request}`, secret);
        }
        return {option: ['form', form]};
      }
    }
    return {option: ['body', post.text]};
  }

  jsonValue(value: unknown, k: string | undefined, i: number, request: string, login: boolean): Value {
    if (Array.isArray(value)) return value.map((v) => this.jsonValue(v, k, i, request, login));
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([kk, v]) => [kk, this.jsonValue(v, kk, i, request, login)]));
    const secret = k !== undefined && (SECRET_KEY.test(k) || (login && LOGIN_KEY.test(k)));
    if (typeof value === 'string') return this.value(value, k, i, 'json', `the JSON ${k ?? 'body'} of ${request}`, secret);
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      const source = this.index.find(String(value), i, 'json', k !== undefined && ID_KEY.test(k));
      if (source) {
        const ref = this.ref(source, {step: i, where: `the JSON ${k} of ${request}`});
        return source.numeric ? ref : new Code(`Number(${ref.code})`);
      }
    }
    if (secret && typeof value === 'number') return this.constant(k, value, '');
    return value as Value;
  }

  /**
   * A recorded string sent in a query, form or JSON body: the code that reads it at run time when an answer gave
   * it, else a constant marked for a feeder when it is a credential (`secret`, or a query's key or token), else itself.
   */
  value(v: string, k: string | undefined, i: number, place: TargetPlace, where: string, secret = false): Value {
    const source = this.index.find(v, i, place, k !== undefined && ID_KEY.test(k));
    if (source) {
      const ref = this.ref(source, {step: i, where});
      return source.numeric ? new Code(`String(${ref.code})`) : ref;
    }
    if (k !== undefined && (secret || (place === 'query' && SECRET_KEY.test(k)))) return this.constant(k, v, '');
    return v;
  }

  /** An Authorization header: a correlated bearer token (`bearer:` code), another scheme read at run time, or a constant. */
  authorization(value: string, i: number, request: string): Value {
    const m = /^(\S+)\s+(.+)$/.exec(value);
    const scheme = m?.[1] ?? 'Bearer';
    const credential = (m?.[2] ?? value).trim();
    const source = this.index.find(credential, i, 'header', false);
    if (source) {
      const ref = this.ref(source, {step: i, where: `the Authorization of ${request}`});
      return scheme.toLowerCase() === 'bearer' ? new Code(`bearer:${ref.code}`) : new Code(`\`${escapeTemplate(scheme)} \${${ref.code}}\``);
    }
    if (scheme.toLowerCase() === 'basic') {
      const decoded = Buffer.from(credential, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        const userName = this.constant('basicUser', decoded.slice(0, colon), 'HTTP basic auth, as the recording sent it');
        const password = this.constant('basicPassword', decoded.slice(colon + 1), '');
        return new Code(`\`Basic \${btoa(\`\${${userName.code}}:\${${password.code}}\`)}\``);
      }
    }
    // Never the recorded value: a token no recorded answer gave, for the user to supply.
    const token = this.constant(
      'token',
      new Code("'TODO-a-valid-token'"),
      `the recording sent Authorization: ${oneLine(scheme)} … with a token no recorded answer gave (not copied): put a valid one here`,
    );
    return new Code(`\`${escapeTemplate(scheme)} \${${token.code}}\``);
  }

  /** A module constant marked for a feeder or an environment variable; the same name and value give the same one. */
  constant(name: string, value: Value, note: string): Code {
    const id = `${name.toLowerCase()}\0${value instanceof Code ? value.code : JSON.stringify(value)}`;
    let constName = this.constantByValue.get(id);
    if (!constName) {
      constName = constantName(name, this.used);
      this.constantByValue.set(id, constName);
      this.constants.push({name: constName, value, note});
    }
    return new Code(constName);
  }

  /** The code that reads a source at run time (a cookie: the latest one, at send time; others: a variable set after its answer). */
  ref(source: Source, use: Use): Code {
    const from = this.steps[source.step];
    const request = `${from.entry.method} ${from.url.origin === this.selection.origin ? from.url.pathname : from.url.href}`;
    if (source.kind === 'cookie') {
      this.correlate(use, `the cookie ${source.name} (its latest value at run time)`);
      const read = `http.cookie(${str(source.name)}) ?? ''`;
      return new Code(source.decoded ? `decodeURIComponent(${read})` : read);
    }
    let x = this.extractions.get(source);
    if (!x) {
      if (!this.responseVars.has(source.step)) this.responseVars.set(source.step, this.responseName(source.step));
      x = {variable: this.variableName(source), uses: []};
      this.extractions.set(source, x);
    }
    x.uses.push(use);
    const what =
      source.kind === 'json'
        ? `the JSON field ${jsonPath(source.path!)}`
        : source.kind === 'field'
          ? `the page's <input name="${source.name}">`
          : `the ${source.name} header`;
    this.correlate(use, `${what} of ${request}`);
    return new Code(x.variable);
  }

  correlate(use: Use, from: string): void {
    this.correlations.push({to: use.where, from});
  }

  responseName(i: number): string {
    const step = this.steps[i];
    const all = step.url.pathname.split('/').filter(Boolean);
    const segments = all.filter((s) => !isDynamicSegment(s));
    // `/products/17` answers one product.
    const last =
      segments.length === 0 ? 'home' : all.length > 0 && isDynamicSegment(all.at(-1)!) ? singular(segments.at(-1)!) : segments.at(-1)!;
    const html = /html/.test(finalHop(step).mimeType);
    return identifier(`${last.replace(/\.\w+$/, '')}${html ? ' page' : ''}`, this.used, 'answer');
  }

  variableName(source: Source): string {
    if (source.kind === 'json') {
      const keys = source.path!.filter((p): p is string => typeof p === 'string');
      const last = keys.at(-1) ?? 'value';
      if (/^(id|uuid|guid|pk|value|token|key)$/i.test(last)) {
        const parent = keys.at(-2) ?? this.responseVars.get(source.step)!.replace(/Page$/, '');
        return identifier(`${singular(parent)} ${last}`, this.used);
      }
      return identifier(last, this.used);
    }
    if (source.kind === 'header') return identifier(source.name.replace(/^x-/i, ''), this.used);
    return identifier(source.name, this.used);
  }

  noteCookies(entry: HarEntry, i: number): void {
    const cookie = entry.requestHeaders.find((h) => h.name.toLowerCase() === 'cookie')?.value;
    if (!cookie) return;
    const set = new Set(this.steps.slice(0, i).flatMap((s) => [s.entry, ...s.followed].flatMap((e) => e.setCookies.map((c) => c.name))));
    const droppedSet = new Set(
      this.selection.droppedEntries.filter((e) => e.started <= entry.started).flatMap((e) => e.setCookies.map((c) => c.name)),
    );
    for (const pair of cookie.split(';')) {
      const name = pair.split('=')[0].trim();
      if (!name || set.has(name) || this.unsetCookies.has(name)) continue;
      this.unsetCookies.set(name, droppedSet.has(name) ? 'dropped' : 'unset');
    }
  }

  /** The flow's statements, from the plans. */
  flow(plans: ReadonlyArray<StepPlan>): string[] {
    const lines: string[] = [];
    // Bearer tokens: http.bearer() when every request from the first that sent one on did (an API after its
    // login), set again when the token changes; otherwise an Authorization header on each request that sent it.
    const firstBearer = plans.findIndex((p) => p.bearer);
    const bearerMode = firstBearer >= 0 && plans.slice(firstBearer).every((p) => p.bearer);
    const setsCookies = this.steps.some((s) => [s.entry, ...s.followed].some((e) => e.setCookies.length > 0));
    if (setsCookies || bearerMode) {
      lines.push(
        `// Each pass starts as the recording did: ${[setsCookies && 'no cookies', bearerMode && 'no token'].filter(Boolean).join(', ')}.`,
      );
      if (setsCookies) lines.push('http.clearCookies();');
      if (bearerMode) lines.push('http.bearer(undefined);');
    }
    if (this.usesOrigin) lines.push('const origin = new URL(http.baseUrl).origin;');
    let bearer: string | undefined;
    plans.forEach((p, i) => {
      if (p.sleep > 0) lines.push(`await sleep(${p.sleep});`);
      if (p.bearer && bearerMode && p.bearer.code !== bearer) {
        bearer = p.bearer.code;
        lines.push(`http.bearer(${bearer});`);
      }
      const headers = [...p.headers];
      if (p.bearer && !bearerMode) headers.unshift(['authorization', new Code(`\`Bearer \${${p.bearer.code}}\``)]);
      const options = [...p.options];
      if (headers.length > 0) {
        const at = options.findIndex(([k]) => k === 'expect');
        options.splice(at < 0 ? options.length : at, 0, ['headers', Object.fromEntries(headers)]);
      }
      for (const c of p.comments) lines.push(`// ${c}`);
      const variable = this.responseVars.get(i);
      lines.push(...call(variable, p.method, p.url, options));
      // What later requests send back, read from this answer.
      for (const [source, x] of this.extractions) {
        if (source.step !== i) continue;
        const res = variable!;
        const places = [...new Set(x.uses.map((u) => u.where))];
        const sentAs = places.length > 2 ? `${places[0]} and ${places.length - 1} more` : places.join(' and ');
        lines.push(...wrap(`Read from this answer at run time, as the browser did: sent back in ${sentAs}.`, 112));
        if (source.kind === 'json') {
          const type = source.numeric ? 'number' : 'string';
          lines.push(`const ${x.variable} = ${res}.json()${accessor(source.path!)};`);
          lines.push(`if (typeof ${x.variable} !== '${type}') return ${res}.fail(${str(`no ${jsonPath(source.path!)} in the answer`)});`);
        } else if (source.kind === 'field') {
          lines.push(`const ${x.variable} = ${res}.formField(${str(source.name)});`);
          lines.push(`if (${x.variable} === undefined) return ${res}.fail(${str(`no ${source.name} field in the page`)});`);
        } else {
          lines.push(`const ${x.variable} = ${res}.headers[${str(source.name)}];`);
          lines.push(`if (typeof ${x.variable} !== 'string') return ${res}.fail(${str(`no ${source.name} header in the answer`)});`);
        }
      }
    });
    return lines;
  }
}

/** `await http.get(…)` on one line when it fits, else its options one a line. */
function call(variable: string | undefined, method: string, url: string, options: ReadonlyArray<[string, Value]>): string[] {
  const lead = `${variable ? `const ${variable} = ` : ''}await http.`;
  const fn = METHOD_CALLS.has(method) ? `${method.toLowerCase()}(${url}` : `request(${str(method)}, ${url}`;
  const flat = options.map(([k, v]) => `${k}: ${literal(v, 0, Infinity)}`);
  const one = `${lead}${fn}${flat.length > 0 ? `, {${flat.join(', ')}}` : ''});`;
  if (one.length + 4 <= 120) return [one];
  return [`${lead}${fn}, {`, ...options.map(([k, v]) => `  ${k}: ${literal(v, 2, 110 - k.length)},`), '});'];
}

const finalHop = (s: Step): HarEntry => s.followed.at(-1) ?? s.entry;

function accessor(path: ReadonlyArray<string | number>): string {
  return path
    .map((p, i) => {
      const q = i === 0 ? '' : '?.';
      if (typeof p === 'number') return `${q}[${p}]`;
      return /^[A-Za-z_$][\w$]*$/.test(p) ? `${q || '.'}${p}` : `${q}[${str(p)}]`;
    })
    .join('');
}

function jsonPath(path: ReadonlyArray<string | number>): string {
  return (
    path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `${i === 0 ? '' : '.'}${p}` : `[${str(p)}]`))
      .join('') || '(the whole body)'
  );
}

function hasKey(doc: unknown, test: (k: string) => boolean): boolean {
  if (Array.isArray(doc)) return doc.some((v) => hasKey(v, test));
  if (typeof doc === 'object' && doc !== null) return Object.entries(doc).some(([k, v]) => test(k) || hasKey(v, test));
  return false;
}

const singular = (word: string): string => (/ies$/.test(word) ? word.replace(/ies$/, 'y') : /[^s]s$/.test(word) ? word.slice(0, -1) : word);
const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** A comment's text wrapped at `width` columns, each line `// `. */
function wrap(text: string, width = 116): string[] {
  if (text === '') return [];
  const out: string[] = [];
  let line = '//';
  // A request (`POST /login`) stays on one line.
  for (const word of text.replace(/\b(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) \//g, '$1\u00a0/').split(' ')) {
    if (line.length + 1 + word.length > width && line !== '//') {
      out.push(line);
      line = '//';
    }
    line += ` ${word}`;
  }
  out.push(line);
  return out.map((l) => l.replace(/\u00a0/g, ' '));
}
