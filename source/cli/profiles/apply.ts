// Applying stored flags to a load command (run, quick mode, find-limit, demo): the command line's flags win
// over the environment's (BRINK_*), which win over the project's config file, then --profile's, then the
// user's defaults, then the built-in defaults.
import {UsageError} from '../../kernel/errors.js';
import {DEFAULTS_PROFILE, type ProfileStore} from '../../config/store.js';
import {COMMANDS} from '../commands.js';
import {readCommandLine} from '../command-line.js';
import {FLAGS} from '../flags.js';
import type {Invocation} from '../invocation.js';
import {parseArgs} from '../parse.js';
import {kebab, scanArgv} from '../scan.js';
import {mergeArgv, type Layer} from './merge.js';
import {configLayer, environmentLayers, findConfig} from './sources.js';

/** The stored levels under a command line: its --profile, then the user's defaults. */
export function profileLayers(argv: ReadonlyArray<string>, store: ProfileStore): Layer[] {
  const uses = scanArgv(argv, FLAGS).flags.filter((use) => use.name === 'profile');
  const name = uses.length > 0 ? uses[uses.length - 1].value : undefined;
  if (name === '' || name === true) throw new UsageError('--profile needs a name (brink profile list shows them)', 'BRINK_E_PROFILE');
  const layers: Layer[] = [];
  if (typeof name === 'string') layers.push({label: `profile '${name}'`, argv: store.require(name).argv});
  if (name !== DEFAULTS_PROFILE) {
    let defaults;
    try {
      defaults = store.get(DEFAULTS_PROFILE);
    } catch (error) {
      // A config that cannot be read (a read-only home in CI, say) must not stop a run that asked for no profile.
      if (typeof name === 'string') throw error;
    }
    if (defaults) layers.push({label: 'your defaults (brink profile defaults)', argv: defaults.argv});
  }
  return layers;
}

/**
 * parseArgs over the command line merged with the environment (BRINK_*), the project's config file, its
 * profile and the user's defaults, in that order of precedence. The command line is checked first as typed
 * (an unknown flag, one given twice), and a help or version asked for reads none of them.
 */
export function parseWithProfiles(
  argv: string[],
  version: string,
  store: ProfileStore,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Invocation {
  const {command, asks, positionals} = readCommandLine(argv);
  if (asks || command === undefined || !COMMANDS[command].load) return parseArgs(argv, version);
  // A run's scenario file: its config file sits beside it (a URL, as quick mode and find-limit take, has none).
  const scenario =
    (command === 'run' || command === 'find-limit') && positionals[1] && !/^https?:\/\//i.test(positionals[1]) ? positionals[1] : undefined;
  const config = findConfig(scenario, cwd);
  const layers = [...environmentLayers(env), ...(config ? [configLayer(config, cwd)] : []), ...profileLayers(argv, store)];
  const merged = mergeArgv(argv, layers, FLAGS);
  try {
    return parseArgs(merged.argv, version, merged.from);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message + blame(error.message, merged.from), error.code, error.hint);
    throw error;
  }
}

/** ` (--users from profile 'staging')` when the message names a flag that came from a stored level. */
export function blame(message: string, from: ReadonlyMap<string, string>): string {
  const named = [...from].filter(([name]) => new RegExp(`--${kebab(name)}(?![\\w-])`).test(message));
  return named.length === 0 ? '' : ` (${named.map(([name, label]) => `--${kebab(name)} from ${label}`).join(', ')})`;
}
