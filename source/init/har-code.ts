// Small pieces of TypeScript source for the scenario `brink init --from-har` writes: literals, identifiers,
// and code embedded in a literal.

/** Code to embed as it is in a literal (a variable, a call), where a recorded value was. */
export class Code {
  constructor(readonly code: string) {}
}

export type Value = null | boolean | number | string | Code | Value[] | {[key: string]: Value};

export const str = (text: string): string =>
  `'${text
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')}'`;

export const escapeTemplate = (text: string): string => text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');

export const key = (name: string): string => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : str(name));

export const oneLine = (text: unknown): string => String(text).replace(/\s+/g, ' ').trim();

/** A value as a TypeScript literal: on one line when it fits in `width`, else one entry a line at `indent`. */
export function literal(value: Value, indent: number, width = 80): string {
  const flat = toLiteral(value, null);
  return flat.length <= width ? flat : toLiteral(value, indent);
}

function toLiteral(value: Value, indent: number | null): string {
  if (value instanceof Code) return value.code;
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? str(value) : (JSON.stringify(value) ?? 'null');
  const inner = indent === null ? null : indent + 2;
  const items = Array.isArray(value)
    ? value.map((v) => toLiteral(v, inner))
    : Object.entries(value).map(([k, v]) =>
        v instanceof Code && v.code === k && /^[A-Za-z_$][\w$]*$/.test(k) ? k : `${key(k)}: ${toLiteral(v, inner)}`,
      );
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (items.length === 0) return `${open}${close}`;
  if (indent === null) return `${open}${items.join(', ')}${close}`;
  const pad = ' '.repeat(inner!);
  return `${open}\n${items.map((i) => `${pad}${i},`).join('\n')}\n${' '.repeat(indent)}${close}`;
}

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await async of undefined NaN Infinity ' +
    'http sleep origin scenario user task between constant visitor'
  ).split(' '),
);

/** A camelCase identifier for a name (`access_token` → `accessToken`, `X-CSRF-Token` → `xCsrfToken`), unique in `used`. */
export function identifier(name: string, used: Set<string>, fallback = 'value'): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let id = parts
    .map((p, i) => {
      const word = p === p.toUpperCase() ? p.toLowerCase() : p;
      return i === 0 ? word.charAt(0).toLowerCase() + word.slice(1) : word.charAt(0).toUpperCase() + word.slice(1);
    })
    .join('');
  if (id === '') id = fallback;
  if (/^\d/.test(id)) id = `_${id}`;
  if (RESERVED.has(id)) id = `${id}Value`;
  let unique = id;
  for (let i = 2; used.has(unique); i++) unique = `${id}${i}`;
  used.add(unique);
  return unique;
}

/** An UPPER_SNAKE constant name (`password` → `PASSWORD`, `userName` → `USER_NAME`), unique in `used`. */
export function constantName(name: string, used: Set<string>): string {
  let id =
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .join('_')
      .toUpperCase() || 'VALUE';
  if (/^\d/.test(id)) id = `_${id}`;
  let unique = id;
  for (let i = 2; used.has(unique); i++) unique = `${id}_${i}`;
  used.add(unique);
  return unique;
}
