// Merging stored flags under a command line, as a pure function over the parser's reading of both (flags
// given > profile > user defaults > built-in defaults, which the parser applies last).
import {canonicalTokens, scanArgv, type FlagSpec} from '../scan.js';

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
 * Flags that stand for one setting (the spec's `setting`): when a higher level gives any of them, a lower
 * level's others are dropped too. A load plan is one choice (a profile's --stages must not clash with --spike
 * given now); -u/-c and -t/-d are the same setting in different modes.
 */
export function settingGroups(spec: FlagSpec): string[][] {
  const groups = new Map<string, string[]>();
  for (const [name, def] of Object.entries(spec)) {
    if (def.setting !== undefined) groups.set(def.setting, [...(groups.get(def.setting) ?? []), name]);
  }
  return [...groups.values()];
}

/**
 * Merges stored flags under the command line. `layers` go from the highest precedence down (a profile,
 * then the user's defaults). A flag is taken from the highest level that gives it, whole: a repeatable
 * flag given on the command line (`--threshold`, `-H`) replaces the profile's values, it does not add to
 * them. Flags a profile never keeps (`--profile`, `--help`, `--version`) and unknown ones are ignored in layers.
 */
export function mergeArgv(
  argv: ReadonlyArray<string>,
  layers: ReadonlyArray<Layer>,
  spec: FlagSpec,
  groups: ReadonlyArray<ReadonlyArray<string>> = settingGroups(spec),
): Merged {
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
    const kept = scanArgv(layer.argv, spec).flags.filter((use) => !use.unknown && !taken.has(use.name) && spec[use.name].stored !== false);
    // Canonical tokens: a hand-edited `--host` without a value must not take the user's command as its value.
    before.push(...canonicalTokens(kept, spec));
    for (const use of kept) from.set(use.name, layer.label);
    take(kept.map((use) => use.name));
  }
  return {argv: [...before, ...argv], from};
}
