// Reading and merging command lines by meow's flag spec, as pure functions: which flags a command line
// gives, their canonical tokens (what a profile stores), and the merge of stored flags under the
// user's own (flags given > profile > user defaults > built-in defaults, which parseArgs applies).
import {shellQuote} from '../kernel/shell-quote.js';

/** The part of a meow flag spec this module needs. */
export interface FlagDef {
  readonly type?: string;
  readonly shortFlag?: string;
  readonly isMultiple?: boolean;
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

/** Splits argv the way meow (yargs-parser) reads it with `spec`: positionals and flag uses, in order. */
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
      if (!spec[name] && name.startsWith('no') && name.length > 2) {
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
    const def = spec[name];
    if (def?.type === 'boolean') {
      flags.push({name, value: inline === undefined ? true : inline !== 'false', tokens: [token], unknown: false});
      continue;
    }
    if (inline !== undefined) {
      flags.push({name, value: inline, tokens: [token], unknown: !def});
      continue;
    }
    // A string flag takes the next token unless that is a flag; an unknown one is left alone (meow reports it).
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
  return order.flatMap((name) => values.get(name)!.map((value) =>
    typeof value === 'boolean' ? (value ? `--${kebab(name)}` : `--no-${kebab(name)}`) : `--${kebab(name)}=${value}`));
}

/** Tokens for showing a stored profile to a person: `--host http://… --threshold 'p95<800ms'`. */
export function displayTokens(tokens: ReadonlyArray<string>, spec: FlagSpec): string[] {
  return scanArgv(tokens, spec).flags.map((use) => typeof use.value === 'boolean'
    ? (use.value ? `--${kebab(use.name)}` : `--no-${kebab(use.name)}`)
    : `--${kebab(use.name)} ${shellQuote(use.value)}`);
}


/**
 * Flags that stand for one setting: when a higher level gives any of them, a lower level's others are
 * dropped too. A load plan is one choice (a profile's --stages must not clash with --spike given now);
 * -u/-c and -t/-d are the same setting in different modes.
 */
export const FLAG_GROUPS: ReadonlyArray<ReadonlyArray<string>> = [
  ['stepUsers', 'stepTime', 'hold', 'stepDown', 'stages', 'spike', 'spikeTime', 'warmup', 'recovery', 'rate', 'rateStages'],
  ['users', 'connections'],
  ['runTime', 'duration'],
];

/** A level of stored flags under the command line, e.g. a profile. */
export interface Layer {
  /** Shown in messages: `profile 'staging'`, `your defaults`. */
  readonly label: string;
  readonly argv: ReadonlyArray<string>;
}

export interface Merged {
  /** The layers' surviving flags, then the user's argv unchanged: what parseArgs reads. */
  readonly argv: string[];
  /** Which layer each flag taken from a layer came from. */
  readonly from: ReadonlyMap<string, string>;
}

/**
 * Merges stored flags under the command line. `layers` go from the highest precedence down (a profile,
 * then the user's defaults). A flag is taken from the highest level that gives it, whole: a repeatable
 * flag given on the command line (`--threshold`, `-H`) replaces the profile's values, it does not add to
 * them. Flags that are never stored (`--profile`, `--help`, `--version`) are ignored in layers.
 */
export function mergeArgv(argv: ReadonlyArray<string>, layers: ReadonlyArray<Layer>, spec: FlagSpec,
  groups: ReadonlyArray<ReadonlyArray<string>> = FLAG_GROUPS): Merged {
  const taken = new Set<string>();
  const take = (names: Iterable<string>) => {
    for (const name of names) {
      taken.add(name);
      for (const group of groups) if (group.includes(name)) for (const other of group) taken.add(other);
    }
  };
  take(scanArgv(argv, spec).flags.map((use) => use.name));
  const before: string[] = [];
  const from = new Map<string, string>();
  for (const layer of layers) {
    const kept = scanArgv(layer.argv, spec).flags.filter((use) => !use.unknown && !taken.has(use.name) && !NEVER_STORED.has(use.name));
    // Canonical tokens: a hand-edited `--host` without a value must not take the user's command as its value.
    before.push(...canonicalTokens(kept, spec));
    for (const use of kept) from.set(use.name, layer.label);
    take(kept.map((use) => use.name));
  }
  return {argv: [...before, ...argv], from};
}

export const NEVER_STORED: ReadonlySet<string> = new Set(['profile', 'help', 'version']);
