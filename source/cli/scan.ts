// brink's one argv parser: reads a command line by a flag spec (the command table's, source/cli/flags.ts) into
// positionals and flag uses, in order, with the tokens each took. Profiles need the order and the tokens (a
// profile keeps the flags as given; a layer's flags are dropped one by one), which a parsed-flags object loses.
// It reads as meow (yargs-parser) does: `--name value`, `--name=value`, `-x value`, `-xvalue`, `--no-name` for a
// boolean, camelCase names, negative numbers as values, `--` ending the flags.
import {shellQuote} from '../kernel/shell-quote.js';

/** The part of a flag's declaration the parser needs. */
export interface FlagDef {
  readonly type: 'string' | 'boolean';
  readonly shortFlag?: string;
  /** Repeatable: every use adds a value (`--threshold`, `-H`); any other flag may be given once. */
  readonly isMultiple?: boolean;
  /** Flags that stand for one setting share a name here: a higher level giving one drops a lower level's others. */
  readonly setting?: string;
  /** False: a profile never keeps it (`--profile`, `--help`, another command's flags). */
  readonly stored?: boolean;
}

export type FlagSpec = Readonly<Record<string, FlagDef>>;

/** One flag as given: its camelCase name, its value, and the tokens it took. */
export interface FlagUse {
  readonly name: string;
  readonly value: string | boolean;
  readonly tokens: ReadonlyArray<string>;
  /** Not in the spec. */
  readonly unknown: boolean;
}

export interface ScannedArgv {
  readonly positionals: ReadonlyArray<string>;
  readonly flags: ReadonlyArray<FlagUse>;
}

export const camel = (name: string): string => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** A token that is a flag, not a value (yargs-parser's rule: negative numbers are values). */
const isFlagToken = (token: string): boolean => token.length > 1 && token.startsWith('-') && !/^-+(\d+(\.\d+)?|\.\d+)$/.test(token);

/** Splits argv by `spec`: positionals and flag uses, in order. */
export function scanArgv(argv: ReadonlyArray<string>, spec: FlagSpec): ScannedArgv {
  const positionals: string[] = [];
  const flags: FlagUse[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!isFlagToken(token)) {
      positionals.push(token);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (token.startsWith('--')) {
      const body = token.slice(2);
      const eq = body.indexOf('=');
      name = camel(eq >= 0 ? body.slice(0, eq) : body);
      inline = eq >= 0 ? body.slice(eq + 1) : undefined;
      if (!Object.hasOwn(spec, name) && name.startsWith('no') && name.length > 2) {
        const positive = name[2].toLowerCase() + name.slice(3);
        if (spec[positive]?.type === 'boolean' && inline === undefined) {
          flags.push({name: positive, value: false, tokens: [token], unknown: false});
          continue;
        }
      }
    } else {
      const letter = token[1];
      const found = Object.entries(spec).find(([, def]) => def.shortFlag === letter);
      name = found ? found[0] : letter;
      const rest = token.slice(2);
      inline = rest === '' ? undefined : rest.replace(/^=/, '');
    }
    const def = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (def?.type === 'boolean') {
      flags.push({name, value: inline === undefined ? true : inline !== 'false', tokens: [token], unknown: false});
      continue;
    }
    if (inline !== undefined) {
      flags.push({name, value: inline, tokens: [token], unknown: !def});
      continue;
    }
    // A string flag takes the next token unless that is a flag; an unknown one takes nothing (it is reported).
    const next = argv[i + 1];
    if (def && next !== undefined && !isFlagToken(next) && next !== '--') {
      flags.push({name, value: next, tokens: [token, next], unknown: false});
      i++;
    } else {
      flags.push({name, value: def ? '' : true, tokens: [token], unknown: !def});
    }
  }
  return {positionals, flags};
}

/**
 * The flags of a command line as canonical tokens (`--long-name=value`, `--flag`, `--no-flag`), which read
 * back the same whatever the value looks like. A flag given twice keeps its last value unless repeatable.
 */
export function canonicalTokens(uses: ReadonlyArray<FlagUse>, spec: FlagSpec): string[] {
  const order: string[] = [];
  const values = new Map<string, Array<string | boolean>>();
  for (const use of uses) {
    if (!values.has(use.name)) order.push(use.name);
    const list = spec[use.name]?.isMultiple ? [...(values.get(use.name) ?? []), use.value] : [use.value];
    values.set(use.name, list);
  }
  return order.flatMap((name) =>
    values
      .get(name)!
      .map((value) => (typeof value === 'boolean' ? (value ? `--${kebab(name)}` : `--no-${kebab(name)}`) : `--${kebab(name)}=${value}`)),
  );
}

/** Tokens for showing a stored profile to a person: `--host http://… --threshold 'p95<800ms'`. */
export function displayTokens(tokens: ReadonlyArray<string>, spec: FlagSpec): string[] {
  return scanArgv(tokens, spec).flags.map((use) =>
    typeof use.value === 'boolean'
      ? use.value
        ? `--${kebab(use.name)}`
        : `--no-${kebab(use.name)}`
      : `--${kebab(use.name)} ${shellQuote(use.value)}`,
  );
}
