// Secrets never reach a report: credentials that a request carried (Authorization, cookies, API keys) and fields
// named like password/token/secret can turn up in free text — an error message quoting a request or a response
// body, a check's message, an event. Every report passes its free text through here.

export const REDACTED = '***';

/** Field names whose values are secrets: password, passwd, pwd, token (access_token, csrfToken…), secret, api-key, credentials. */
const SECRET_NAME = String.raw`[A-Za-z0-9_.-]*?(?:passw(?:or)?d|pwd|token|secret|api[-_]?key|credentials?|private[-_]?key)[A-Za-z0-9_.-]*`;
/** Credential headers: the value is a token, maybe after a scheme (`Authorization: Bearer …`). */
const AUTH_HEADER = String.raw`(?:proxy-)?authorization|x-api-key|x-auth-token|x-csrf-token|x-xsrf-token`;
/** Cookie headers: the whole rest of the line is cookies (`Cookie: a=1; b=2`). */
const COOKIE_HEADER = String.raw`set-cookie|cookie`;
const HEADER_NAME = `${AUTH_HEADER}|${COOKIE_HEADER}`;

const RULES: ReadonlyArray<readonly [RegExp, (...groups: string[]) => string]> = [
  // JSON, plain or escaped inside another string: "password": "x" · \"token\":\"x\" · "api_key": 1234
  [
    new RegExp(String.raw`(\\?")(${SECRET_NAME}|${HEADER_NAME})(\\?"\s*:\s*)(?:\\?"(?:[^"\\]|\\(?!")[\s\S])*?\\?"|[^,}\]\s]+)`, 'gi'),
    (_m, q, name, sep) => `${q}${name}${sep}${q}${REDACTED}${q}`,
  ],
  // Header lines and log-style pairs: a credential (with its scheme), or every cookie to the end of the line.
  [
    new RegExp(String.raw`\b(${AUTH_HEADER})(\s*[:=]\s*)(?!\*\*\*)(?:(?:Bearer|Basic|Digest|Token|Negotiate)\s+)?[^\s;,"'<>}\]]+`, 'gi'),
    (_m, name, sep) => `${name}${sep}${REDACTED}`,
  ],
  [
    new RegExp(String.raw`\b(${COOKIE_HEADER})(\s*[:=]\s*)(?!\*\*\*)[^\s"'<>}\]][^\r\n"'<>}\]]*`, 'gi'),
    (_m, name, sep) => `${name}${sep}${REDACTED}`,
  ],
  // name=value (query strings, forms, cookies) and name: value (YAML, logs).
  [
    new RegExp(String.raw`\b(${SECRET_NAME})(\s*[:=]\s*)(?!\*\*\*)(?:"[^"]*"|'[^']*'|[^\s&;,"'<>}\]]+)`, 'gi'),
    (_m, name, sep) => `${name}${sep}${REDACTED}`,
  ],
  // A credential scheme on its own.
  [/\b(Bearer|Basic|Digest|Token)\s+(?!\*\*\*)[A-Za-z0-9._~+/=-]{6,}/g, (_m, scheme) => `${scheme} ${REDACTED}`],
  // user:password@ in a URL.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s/@]+@/gi, (_m, head) => `${head}${REDACTED}@`],
  // A JSON Web Token anywhere.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, () => REDACTED],
];

/** The text with every secret it carries replaced by `***`. Idempotent. */
export function redact(text: string): string {
  let out = text;
  for (const [pattern, replace] of RULES) out = out.replace(pattern, replace as (substring: string, ...args: string[]) => string);
  return out;
}

/** A copy of `value` with every string in it redacted: for whole summaries and other report data. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}
