// Which columns a scenario reads from a csv() feeder, found by reading its source: esbuild gives no syntax
// tree and TypeScript is not a runtime dependency, so this is a small tokenizer (comments dropped; strings,
// templates and regular expressions kept whole) and a few token patterns over it. It answers only for the
// forms it recognises; anything else is left unchecked, so it never reports a column the scenario does not
// read. The forms, for `const accounts = csv('…')` (or `csv<{email: string}>('…')`) in the same file:
//
//   const {email, password: pw, note = ''} = data(accounts);   // email and password; note has a default
//   data(accounts).email, ctx.data(accounts)?.['first name']
//   const row = data(accounts); … row.email … const {password} = row;   // in the block that declares row
//   csv<{email: string; note?: string}>('…')                   // email (note is optional)
//
// A name bound a second time where it is used (a parameter, another declaration, an assignment) is not
// followed: the reads of that feeder (or row) are not checked. A property the scenario sets on a row
// (`row.token = …`) is not a column; after `Object.assign(row, …)` none of the feeder's reads are checked.

export interface Token {
  readonly kind: 'name' | 'punct' | 'string' | 'number' | 'template' | 'regex';
  /** The name or punctuator; a string's value (escapes decoded). */
  readonly value: string;
  readonly line: number;
  /** 1-based, as in stack traces. */
  readonly column: number;
}

/** A column the scenario reads, and where. */
export interface ColumnRead {
  readonly column: string;
  readonly line: number;
  /** Destructured with a default: a file without the column is fine. */
  readonly optional: boolean;
}

export interface FeederReads {
  /** The variable the feeder is bound to. */
  readonly name: string;
  /** Columns the type argument of `csv<{…}>(…)` requires. */
  readonly typed: ReadonlyArray<ColumnRead>;
  /** Columns read through `data(name)`, in source order. */
  readonly reads: ReadonlyArray<ColumnRead>;
}

const REGEX_AFTER = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);
const PUNCT = /\.\.\.|\?\.(?!\d)|=>|===|!==|==|!=|<=|>=|&&=|\|\|=|\?\?=|&&|\|\||\?\?|\+\+|--|\*\*=?|[-+*/%&|^]=|[^\s\w$]/y;
const NAME = /[A-Za-z_$\u00a0-\uffff][\w$\u00a0-\uffff]*/y;
const NUMBER = /\.?\d(?:[eE][-+]|[\w.])*/y;
const ESCAPES: Readonly<Record<string, string>> = {n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0'};

/** Tokens of JavaScript or TypeScript source, without comments. Throws on what it cannot read (an unclosed string…). */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const templateDepths: number[] = []; // per open `${`: the `{` opened inside it and not yet closed
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const push = (kind: Token['kind'], value: string, at: number, atLine: number, atLineStart: number) =>
    tokens.push({kind, value, line: atLine, column: at - atLineStart + 1});
  /** Moves past source[i..end), counting its line breaks. */
  const skipTo = (end: number) => {
    for (let k = source.indexOf('\n', i); k !== -1 && k < end; k = source.indexOf('\n', k + 1)) {
      line++;
      lineStart = k + 1;
    }
    i = end;
  };
  const template = (from: number) => {
    // From just after ` or the } that ends a substitution: to the closing ` or the next ${.
    const startLine = line;
    const startLineStart = lineStart;
    let k = from;
    for (;;) {
      if (k >= source.length) throw new Error(`unclosed template literal at line ${startLine}`);
      const c = source[k];
      if (c === '\\') k += 2;
      else if (c === '`') {
        push('template', '', from - 1, startLine, startLineStart);
        skipTo(k + 1);
        return;
      } else if (c === '$' && source[k + 1] === '{') {
        push('template', '', from - 1, startLine, startLineStart);
        templateDepths.push(0);
        skipTo(k + 2);
        return;
      } else k++;
    }
  };
  while (i < source.length) {
    const c = source[i];
    if (c === '\n') {
      line++;
      lineStart = ++i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\ufeff') {
      i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      const end = source.indexOf('\n', i);
      i = end === -1 ? source.length : end;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end === -1) throw new Error(`unclosed comment at line ${line}`);
      skipTo(end + 2);
      continue;
    }
    if (c === '"' || c === "'") {
      let k = i + 1;
      let value = '';
      for (; k < source.length && source[k] !== c; k++) {
        if (source[k] === '\n') throw new Error(`unclosed string at line ${line}`);
        if (source[k] === '\\') {
          const e = source[++k];
          const hex =
            e === 'x'
              ? /^[\da-fA-F]{2}/.exec(source.slice(k + 1, k + 3))
              : e === 'u'
                ? /^(?:[\da-fA-F]{4}|\{[\da-fA-F]+\})/.exec(source.slice(k + 1, k + 12))
                : null;
          if (hex) {
            value += String.fromCodePoint(parseInt(hex[0].replace(/[{}]/g, ''), 16));
            k += hex[0].length;
          } else if (e === '\r' && source[k + 1] === '\n') k++;
          else if (e !== '\n') value += ESCAPES[e] ?? e;
        } else value += source[k];
      }
      if (k >= source.length) throw new Error(`unclosed string at line ${line}`);
      push('string', value, i, line, lineStart);
      skipTo(k + 1);
      continue;
    }
    if (c === '`') {
      i++;
      template(i);
      continue;
    }
    if (c === '}' && templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === 0) {
      templateDepths.pop();
      i++;
      template(i);
      continue;
    }
    if (c === '/') {
      const prev = tokens[tokens.length - 1];
      const endsValue = (t: Token | undefined) =>
        t !== undefined &&
        (t.kind === 'punct' ? t.value === ')' || t.value === ']' || t.value === '}' : !(t.kind === 'name' && REGEX_AFTER.has(t.value)));
      // A value's end, or TypeScript's non-null `value!`, is followed by division, not a regular expression.
      const regexAllowed = !endsValue(prev) && !(prev?.value === '!' && prev.kind === 'punct' && endsValue(tokens[tokens.length - 2]));
      if (regexAllowed) {
        let k = i + 1;
        let inClass = false;
        for (; k < source.length; k++) {
          const r = source[k];
          if (r === '\n') throw new Error(`unclosed regular expression at line ${line}`);
          if (r === '\\') k++;
          else if (r === '[') inClass = true;
          else if (r === ']') inClass = false;
          else if (r === '/' && !inClass) break;
        }
        NAME.lastIndex = k + 1;
        const flags = NAME.exec(source);
        const end = flags ? NAME.lastIndex : k + 1;
        push('regex', source.slice(i, end), i, line, lineStart);
        i = end;
        continue;
      }
    }
    let matched = false;
    for (const [kind, re] of [
      ['name', NAME],
      ['number', NUMBER],
      ['punct', PUNCT],
    ] as const) {
      re.lastIndex = i;
      const m = re.exec(source);
      if (!m) continue;
      matched = true;
      push(kind, m[0], i, line, lineStart);
      i += m[0].length;
      if (kind === 'punct' && templateDepths.length > 0) {
        if (m[0] === '{') templateDepths[templateDepths.length - 1]++;
        else if (m[0] === '}') templateDepths[templateDepths.length - 1]--;
      }
      break;
    }
    if (!matched) i++;
  }
  if (templateDepths.length > 0) throw new Error('unclosed template substitution');
  return tokens;
}

const OPEN: Readonly<Record<string, string>> = {'(': ')', '[': ']', '{': '}'};
const DECLARES = new Set(['const', 'let', 'var']);
const BINDS_NEXT = new Set(['const', 'let', 'var', 'function', 'class', 'import', 'as', 'enum', 'namespace', 'interface', 'type']);
const ASSIGNS = new Set([
  '=',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '**=',
  '&=',
  '|=',
  '^=',
  '&&=',
  '||=',
  '??=',
  '<<=',
  '>>=',
  '>>>=',
  '++',
  '--',
]);
const NOT_PARAMS_AFTER = new Set(['if', 'for', 'while', 'switch', 'with', 'await']);
const CONTINUES = new Set(['in', 'instanceof']);
const PROTOTYPE = new Set(Object.getOwnPropertyNames(Object.prototype));

/** The tokens and their bracket structure. */
class Source {
  /** For each bracket, the index of its partner. */
  readonly partner = new Map<number, number>();
  /** For each token, the innermost bracket group it is in (the opening token's index), or -1. */
  readonly parent: number[] = [];

  constructor(readonly t: ReadonlyArray<Token>) {
    const open: number[] = [];
    t.forEach((token, i) => {
      this.parent.push(open.length ? open[open.length - 1] : -1);
      if (token.kind !== 'punct') return;
      if (OPEN[token.value]) open.push(i);
      else if (token.value === ')' || token.value === ']' || token.value === '}') {
        const o = open.pop();
        if (o === undefined || OPEN[t[o].value] !== token.value) throw new Error(`unbalanced '${token.value}' at line ${token.line}`);
        this.partner.set(o, i);
        this.partner.set(i, o);
        this.parent[i] = this.parent[o];
      }
    });
    if (open.length) throw new Error(`unclosed '${t[open[0]].value}' at line ${t[open[0]].line}`);
  }

  /** Whether token i opens a bracket group: ( [ { */
  opens(i: number): boolean {
    const token = this.t[i];
    return token?.kind === 'punct' && (token.value === '(' || token.value === '[' || token.value === '{');
  }

  /** Whether token i closes one: ) ] } */
  closes(i: number): boolean {
    const token = this.t[i];
    return token?.kind === 'punct' && (token.value === ')' || token.value === ']' || token.value === '}');
  }

  is(i: number, value: string): boolean {
    const token = this.t[i];
    return token !== undefined && (token.kind === 'punct' || token.kind === 'name') && token.value === value;
  }

  name(i: number, value?: string): boolean {
    const token = this.t[i];
    return token?.kind === 'name' && (value === undefined || token.value === value);
  }

  /** The innermost `{` group around token i (its opening index), or -1 for the file's top level. */
  block(i: number): number {
    let p = this.parent[i];
    while (p !== -1 && this.t[p].value !== '{') p = this.parent[p];
    return p;
  }

  /** Past a `<…>` type argument list starting at i (or i itself when there is none). */
  skipTypeArguments(i: number): number {
    if (!this.is(i, '<')) return i;
    let depth = 0;
    for (let k = i; k < Math.min(this.t.length, i + 200); k++) {
      if (this.opens(k)) {
        k = this.partner.get(k)!;
        continue;
      }
      if (this.is(k, '<')) depth++;
      else if (this.is(k, '>') && --depth === 0) return k + 1;
      else if (this.is(k, ';')) return i;
    }
    return i;
  }

  /** The variable a declaration `const|let|var NAME [: Type] =` ending at the `=` at index eq binds, or undefined. */
  declaredBefore(eq: number): {name: string; at: number} | undefined {
    if (!this.is(eq, '=')) return undefined;
    if (this.name(eq - 1) && DECLARES.has(this.t[eq - 2]?.value) && this.name(eq - 2)) return {name: this.t[eq - 1].value, at: eq - 1};
    // With a type annotation: const NAME: Type = …
    for (let k = eq - 1; k >= Math.max(0, eq - 60); k--) {
      if (this.closes(k)) {
        k = this.partner.get(k)!;
        continue;
      }
      if (this.is(k, '=') || this.is(k, ';') || this.opens(k)) return undefined;
      if (this.is(k, ':') && this.name(k - 1) && this.name(k - 2) && DECLARES.has(this.t[k - 2].value))
        return {name: this.t[k - 1].value, at: k - 1};
    }
    return undefined;
  }

  /** Whether the group opened at o is a parameter list: `(…) =>`, `(…) {` (not after if/for…), `(…): Type`. */
  private isParams(o: number): boolean {
    if (this.t[o].value !== '(') return false;
    const after = this.t[this.partner.get(o)! + 1];
    if (!after || after.kind !== 'punct') return false;
    if (after.value === '=>' || after.value === ':') return true;
    return after.value === '{' && !NOT_PARAMS_AFTER.has(this.t[o - 1]?.value);
  }

  /** Whether the group opened at o is a destructuring pattern or a declaration's: `const {…}`, `{…} =`, `import {…}`. */
  private isPattern(o: number): boolean {
    if (this.t[o].value === '(') return false;
    const before = this.t[o - 1];
    if (before?.kind === 'name' && BINDS_NEXT.has(before.value)) return true;
    return this.is(this.partner.get(o)! + 1, '=');
  }

  /**
   * Whether token i (a name) may bind or rebind that name, rather than only use it: a declaration, a
   * parameter, a pattern, an assignment. Errs on the side of yes: a yes only leaves reads unchecked.
   */
  binds(i: number): boolean {
    const prev = this.t[i - 1];
    if (prev && prev.kind === 'punct' && (prev.value === '.' || prev.value === '?.' || prev.value === '#')) return false;
    if (prev?.kind === 'name' && BINDS_NEXT.has(prev.value)) return true;
    if (prev?.kind === 'punct' && (prev.value === '++' || prev.value === '--')) return true;
    const next = this.t[i + 1];
    if (next?.kind === 'punct' && (ASSIGNS.has(next.value) || next.value === '=>')) return true;
    if (next?.kind === 'name' && (next.value === 'of' || next.value === 'in') && this.is(i - 1, '(')) return true;
    for (let p = this.parent[i]; p !== -1; p = this.parent[p]) {
      if (this.isParams(p) || this.isPattern(p)) return true;
    }
    return false;
  }

  /** Whether `name` is bound (see binds) anywhere in tokens [from, to), other than at token `except`. */
  boundElsewhere(name: string, from: number, to: number, except: number): boolean {
    for (let k = from; k < to; k++) if (k !== except && this.name(k, name) && this.binds(k)) return true;
    return false;
  }

  /** The keys of a destructuring pattern `{…}` opened at o; a key with a default is optional. */
  patternKeys(o: number): ColumnRead[] {
    const close = this.partner.get(o)!;
    const keys: ColumnRead[] = [];
    let start = o + 1;
    for (let k = o + 1; k <= close; k++) {
      if (k < close && this.opens(k)) {
        k = this.partner.get(k)!;
        continue;
      }
      if (k < close && !this.is(k, ',')) continue;
      const first = this.t[start];
      if (start < k && first && !this.is(start, '...') && !this.is(start, '[') && first.kind !== 'template') {
        let optional = false;
        for (let e = start + 1; e < k; e++) {
          if (this.opens(e)) {
            e = this.partner.get(e)!;
            continue;
          }
          if (this.is(e, '=')) optional = true;
        }
        if (first.kind === 'name' || first.kind === 'string' || first.kind === 'number')
          keys.push({column: first.value, line: first.line, optional});
      }
      start = k + 1;
    }
    return keys;
  }

  /**
   * The property accessed right after the value ending at token `end` (`.x`, `?.x`, `['x']`), unless it is called;
   * `write` when assigned.
   */
  propertyAfter(end: number): (ColumnRead & {write: boolean}) | undefined {
    let k = end + 1;
    if (this.is(k, '!')) k++;
    let key: Token | undefined;
    let after: number;
    if ((this.is(k, '.') || this.is(k, '?.')) && this.name(k + 1)) {
      key = this.t[k + 1];
      after = k + 2;
    } else {
      if (this.is(k, '?.')) k++;
      if (!this.is(k, '[') || this.t[k + 1]?.kind !== 'string' || !this.is(k + 2, ']')) return undefined;
      key = this.t[k + 1];
      after = k + 3;
    }
    const next = this.t[after];
    if (this.is(after, '(')) return undefined;
    if (this.is(after, '<') && this.skipTypeArguments(after) !== after && this.is(this.skipTypeArguments(after), '(')) return undefined;
    if (PROTOTYPE.has(key.value)) return undefined;
    const write = next?.kind === 'punct' && ASSIGNS.has(next.value);
    return {column: key.value, line: key.line, optional: false, write};
  }

  /** The columns a value ending at token `end` gives away, when `first..end` is the whole right-hand side of a `{…} =` pattern. */
  destructured(first: number, end: number): ColumnRead[] {
    const next = this.t[end + 1];
    if (next?.kind === 'punct' && ['.', '?.', '[', '(', '!'].includes(next.value)) return [];
    if (!this.is(first - 1, '=') || !this.is(first - 2, '}')) return [];
    const o = this.partner.get(first - 2)!;
    const before = this.t[o - 1];
    if (!(before?.kind === 'name' && DECLARES.has(before.value)) && !this.is(o - 1, '(')) return [];
    return this.patternKeys(o);
  }
}

/** The `csv` call at line:column (as a stack frame gives it), and the variable its feeder is bound to. */
function findFeeder(s: Source, line: number, column: number): {call: number; name: string; at: number} | undefined {
  const onLine = s.t.map((_, i) => i).filter((i) => s.name(i, 'csv') && s.t[i].line === line && (s.is(i + 1, '(') || s.is(i + 1, '<')));
  const call = onLine.find((i) => s.t[i].column === column) ?? (onLine.length === 1 ? onLine[0] : undefined);
  if (call === undefined) return undefined;
  let start = call;
  while (s.is(start - 1, '.') && s.name(start - 2)) start -= 2; // brink.csv(…)
  const declared = s.declaredBefore(start - 1);
  return declared && {call, ...declared};
}

/** The required keys of an inline object type `csv<{…}>`: none when the type is named, or has an index signature. */
function typedColumns(s: Source, call: number): ColumnRead[] {
  if (!s.is(call + 1, '<') || !s.is(call + 2, '{')) return [];
  const close = s.partner.get(call + 2)!;
  if (!s.is(close + 1, '>')) return [];
  const columns: ColumnRead[] = [];
  let start = call + 3;
  for (let k = start; k <= close; k++) {
    if (k < close && s.opens(k)) {
      if (k === start && s.is(k, '[')) return []; // [key: string]: string: any column goes
      k = s.partner.get(k)!;
      continue;
    }
    // Members end at ; or , or a line break before the next `name:` (TypeScript needs no separator there).
    const nextMember =
      k > start &&
      k < close &&
      s.t[k].line > s.t[k - 1].line &&
      (s.name(k) || s.t[k].kind === 'string') &&
      (s.is(k + 1, ':') || s.is(k + 1, '?') || s.name(k, 'readonly'));
    if (k < close && !s.is(k, ';') && !s.is(k, ',') && !nextMember) continue;
    let key = start;
    if (s.name(key, 'readonly') && (s.name(key + 1) || s.t[key + 1]?.kind === 'string')) key++;
    const token = s.t[key];
    if (key < k && token && (token.kind === 'name' || token.kind === 'string') && s.is(key + 1, ':')) {
      columns.push({column: token.value, line: token.line, optional: false});
    }
    start = nextMember ? k : k + 1;
  }
  return columns;
}

/**
 * The columns the feeder made by the `csv(…)` call at line:column of `source` is read with, in that file.
 * Undefined when the call is not `const name = csv(…)` or the source cannot be read: nothing to check.
 */
export function feederReads(source: string, line: number, column: number): FeederReads | undefined {
  let s: Source;
  try {
    s = new Source(tokenize(source));
  } catch {
    return undefined;
  }
  const feeder = findFeeder(s, line, column);
  if (!feeder) return undefined;
  const typed = typedColumns(s, feeder.call);
  const scope = s.block(feeder.at);
  const [from, to] = scope === -1 ? [0, s.t.length] : [scope, s.partner.get(scope)!];
  if (s.boundElsewhere(feeder.name, from, to, feeder.at)) return {name: feeder.name, typed, reads: []};
  const reads: ColumnRead[] = [];
  // Properties the scenario sets on its rows (row.token = …) are no columns, wherever they are read; and
  // Object.assign(row, …) may set any.
  const written = new Set<string>();
  let assigned = false;
  const access = (found: ReturnType<Source['propertyAfter']>) => {
    if (found?.write) written.add(found.column);
    else if (found) reads.push(found);
    return found !== undefined;
  };
  const passedToObject = (first: number) =>
    s.is(first - 1, '(') && s.name(first - 2) && s.is(first - 3, '.') && s.name(first - 4, 'Object');
  for (let i = from; i < to; i++) {
    // data(name), ctx.data(name), data<Row>(name)
    if (!s.name(i, 'data')) continue;
    const open = s.skipTypeArguments(i + 1);
    if (!s.is(open, '(') || !s.name(open + 1, feeder.name) || !s.is(open + 2, ')')) continue;
    const end = open + 2;
    let first = i;
    while (s.is(first - 1, '.') && s.name(first - 2)) first -= 2;
    if (passedToObject(first)) assigned = true;
    if (access(s.propertyAfter(end))) continue;
    const keys = s.destructured(first, end);
    if (keys.length) {
      reads.push(...keys);
      continue;
    }
    // const row = data(name): row's reads in the block that declares it.
    // const row = data(name); — the whole initialiser, not `data(name) ?? other`.
    const next = s.t[end + 1];
    const ends =
      !next ||
      s.is(end + 1, ';') ||
      s.is(end + 1, '}') ||
      s.name(end + 1, 'as') ||
      s.name(end + 1, 'satisfies') ||
      (next.line > s.t[end].line && next.kind === 'name' && !CONTINUES.has(next.value));
    const row = ends ? s.declaredBefore(first - 1) : undefined;
    if (!row) continue;
    const block = s.block(row.at);
    const [rowFrom, rowTo] = block === -1 ? [0, s.t.length] : [block, s.partner.get(block)!];
    if (s.boundElsewhere(row.name, rowFrom, rowTo, row.at)) continue;
    for (let k = row.at + 1; k < rowTo; k++) {
      if (!s.name(k, row.name) || s.is(k - 1, '.') || s.is(k - 1, '?.')) continue;
      if (passedToObject(k)) assigned = true;
      if (!access(s.propertyAfter(k))) reads.push(...s.destructured(k, k));
    }
  }
  if (assigned) return {name: feeder.name, typed, reads: []};
  return {name: feeder.name, typed, reads: reads.filter((r) => !written.has(r.column)).sort((a, b) => a.line - b.line)};
}
