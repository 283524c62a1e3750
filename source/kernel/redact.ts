// Secrets never reach an output. Credentials a request carried (Authorization, cookies, API keys, a URL's
// password) and fields named like password/token/secret turn up in free text: an error quoting a request or a
// response body (JSON, or a Python/Ruby/Node dump in single or double quotes), a check's message, an event, an
// endpoint named from a URL with a token in it. This is the one pass all of it goes through, at two boundaries:
// where run data enters the main thread (engine/aggregator.ts: every RunState, so the live view, Prometheus and
// every report, is clean by construction) and where brink's text leaves the process (redactWrites on stdout and
// stderr, installed by cli.ts: the summary, progress, usage errors, anything printed later).
//
// It must not eat what a user needs to find a fault: `client-secrets.ts:31` stays a location, `GET /api/tokens`
// and `POST /oauth/token: p95<1s` stay readable, `Token expired` stays a sentence.

export const REDACTED = '***';

/** A field name's characters: `access_token`, `X-Api-Key`, `client.secret`. */
const NAME_CHARS = 'A-Za-z0-9_.\\-';
/** Field names whose values are secrets: any name with password, passwd, pwd, token, secret, api key, credential(s), private key in it. */
const SECRET_NAME = String.raw`[${NAME_CHARS}]*?(?:passw(?:or)?d|pwd|token|secret|api[-_]?key|credentials?|private[-_]?key)[${NAME_CHARS}]*`;
/** Session cookies, as whole names only (`sessions=3` is a count): sessionid, PHPSESSID, connect.sid, _myapp_session… */
const SESSION_NAME = String.raw`(?:(?:php|j|asp\.net_)?sess(?:ion)?(?:[-_]?id)?|sid|connect\.sid|[A-Za-z0-9]*_session)(?![${NAME_CHARS}])`;
/** Credential headers: the value is a token, maybe after a scheme (`Authorization: Bearer …`). */
const AUTH_HEADER = String.raw`(?:proxy-)?authorization|x-api-key|x-auth-token|x-csrf-token|x-xsrf-token`;
/** Cookie headers: the whole rest of the line is cookies (`Cookie: a=1; b=2`). */
const COOKIE_HEADER = String.raw`set-cookie|cookie`;
const NAME = `(?:${SECRET_NAME}|${SESSION_NAME})`;
const ANY_NAME = `(?:${NAME}|${AUTH_HEADER}|${COOKIE_HEADER})`;
/** Not inside a longer name: `-token` in `my-token` is not a name of its own. */
const NAME_START = `(?<![${NAME_CHARS}])`;
/** A source file's `name.ext:line` is a location, not `name: value` (a scenario may well be `client-secrets.ts`). */
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|json|py|rb|go|java|kt|php|cs|rs|ya?ml|csv|txt|html?|md)$/i;
/** A credential after a bare scheme: something a person would not write (a digit, a symbol, mixed case), or long. */
const CREDENTIAL_LIKE = /[0-9._~+/=-]|[a-z][A-Z]|^.{20,}$/;

type Replace = (match: string, ...groups: string[]) => string;

/**
 * A value quoted as its key's dump quotes it: `"x"`, `\"x\"` (JSON inside a string), `'x'`; or cut short (an
 * excerpt of a body), to the end of the excerpt. `group`: the number of its first capturing group in the rule.
 */
const quotedValue = (group: number) => String.raw`(\\"|"|')((?:[^\\\n]|\\[^\n])*?)` + `\\${group}` + String.raw`|(\\"|"|')([^"\n]*)`;

const RULES: ReadonlyArray<readonly [RegExp, Replace]> = [
  // Quoted keys: JSON "password": "x" · \"token\":\"x\" · Python {'password': 'x'} · {'password': ['x']} ·
  // Ruby {"token"=>"x"} · "api_key": 1234. The value keeps its quotes; a bare one gets its key's.
  [
    new RegExp(
      String.raw`(\\?["'])(${ANY_NAME})\1(\s*(?::|=>)\s*(?:\[\s*)?)(?!(?:\\?["'])?\*\*\*)(?:${quotedValue(4)}|[^,;}[\]\s"']+)`,
      'gi',
    ),
    (_m, q, name, sep, vq1, _v1, vq2) => {
      const vq = vq1 ?? vq2 ?? q;
      return `${q}${name}${q}${sep}${vq}${REDACTED}${vq}`;
    },
  ],
  // Header lines and log-style pairs: a credential (with its scheme), or every cookie to the end of the line.
  [
    new RegExp(
      String.raw`\b(${AUTH_HEADER})(\s*[:=]\s*)(["']?)(?!\*\*\*)(?:(?:Bearer|Basic|Digest|Token|Negotiate)\s+)?[^\s;,"'<>}\]]+`,
      'gi',
    ),
    (_m, name, sep, q) => `${name}${sep}${q}${REDACTED}`,
  ],
  [
    new RegExp(String.raw`\b(${COOKIE_HEADER})(\s*[:=]\s*)(?!\*\*\*)[^\s"'<>}\]][^\r\n"'<>}\]]*`, 'gi'),
    (_m, name, sep) => `${name}${sep}${REDACTED}`,
  ],
  // name=value: query strings, forms, cookies, log pairs.
  [
    new RegExp(String.raw`${NAME_START}(${NAME})(\s*=\s*)(?!\*\*\*)(?:"[^"\n]*"|'[^'\n]*'|'[^'"\n]*|[^\s&;,"'<>}\])]+)`, 'gi'),
    (_m, name, sep) => `${name}${sep}${REDACTED}`,
  ],
  // name: value (YAML, logs, Node's inspect: { password: 'x' }). Not a path's last segment (`POST /oauth/token: p95<1s`
  // is a threshold), nor a source file's line (`client-secrets.ts:31`).
  [
    new RegExp(String.raw`(?<![${NAME_CHARS}/])(${NAME}):(\s*)(?!\*\*\*)("[^"\n]*"|'[^'\n]*'|'[^'"\n]*|[^\s&;,"'<>}\])]+)`, 'gi'),
    (m, name, space, value) => (SOURCE_FILE.test(name) && /^\d/.test(value) ? m : `${name}:${space}${REDACTED}`),
  ],
  // A credential scheme on its own.
  [
    /\b(Bearer|Basic|Digest|Token)\s+(?!\*\*\*)([A-Za-z0-9._~+/=-]{6,})/g,
    (m, scheme, credential) => (CREDENTIAL_LIKE.test(credential) ? `${scheme} ${REDACTED}` : m),
  ],
  // user:password@ in a URL (with a scheme, or after a bare //); a user alone (a token as the user name) after a scheme.
  [/(\/\/[^\s/:@'"<>]+:)(?!\*\*\*@)[^\s/'"<>]*@/g, (_m, head) => `${head}${REDACTED}@`],
  [/(\b[a-z][a-z0-9+.-]*:\/\/)(?!\*\*\*@)[^\s/:@'"<>]+@/gi, (_m, head) => `${head}${REDACTED}@`],
  // A JSON Web Token anywhere, a path segment included.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, () => REDACTED],
];

/** Values brink was given as credentials (a URL's password, a credential header): hidden wherever they turn up. */
const known = new Set<string>();
let knownPattern: RegExp | undefined;
/** Shorter values would hide ordinary words; the rules above still hide them where they stand as credentials. */
const MIN_KNOWN = 6;

/** Hides `value` (and its URL-encoded form) wherever it appears from now on: for credentials brink itself was handed. */
export function knownSecret(value: string): void {
  for (const v of new Set([value, encodeURIComponent(value)])) {
    if (v.length >= MIN_KNOWN && !v.includes(REDACTED)) known.add(v);
  }
  knownPattern =
    known.size === 0
      ? undefined
      : new RegExp(
          [...known]
            .sort((a, b) => b.length - a.length)
            .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('|'),
          'g',
        );
}

/** Forgets every known secret (tests). */
export function forgetKnownSecrets(): void {
  known.clear();
  knownPattern = undefined;
}

/** The text with every secret it carries replaced by `***`. Idempotent. */
export function redact(text: string): string {
  let out = knownPattern ? text.replace(knownPattern, REDACTED) : text;
  for (const [pattern, replace] of RULES) out = out.replace(pattern, replace);
  return out;
}

/** A copy of `value` with every string in it (keys included) redacted: for whole summaries read back from files. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redact(k)] = redactDeep(v);
    return out as T;
  }
  return value;
}

/**
 * Makes every string written to `stream` go through redact(): installed on stdout and stderr at start-up, so no
 * text brink prints (a usage error echoing a URL, a note, the summary, a line added next year) can show a secret.
 * Bytes (a Buffer) pass as they are: brink writes text.
 */
export function redactWrites(stream: NodeJS.WritableStream): void {
  const writable = stream as unknown as {write: (chunk: unknown, ...rest: unknown[]) => boolean};
  const write = writable.write.bind(writable);
  writable.write = (chunk, ...rest) => write(typeof chunk === 'string' ? redact(chunk) : chunk, ...rest);
}
