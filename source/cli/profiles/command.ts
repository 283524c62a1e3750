// `brink profile save|list|show|delete|defaults`: named sets of run flags, kept with conf (config/store.ts).
// What a profile may keep and how its values are checked come from the command table (flags.ts).
import {UsageError, EXIT} from '../../kernel/errors.js';
import {checkProfileName, DEFAULTS_PROFILE, type Profile, type ProfileStore} from '../../config/store.js';
import {readCommandLine} from '../command-line.js';
import type {CommandName} from '../commands.js';
import {FLAGS, type FlagName} from '../flags.js';
import {parseArgs} from '../parse.js';
import {canonicalTokens, displayTokens, kebab, type FlagUse} from '../scan.js';

const USAGE = 'brink profile save <name> [flags] | list | show <name> | delete <name> | defaults [flags]';

/** A command line for each load command, to read a profile's flags as that command would. */
const CONTEXTS: Partial<Record<CommandName, ReadonlyArray<string>>> = {
  run: ['run', 'scenario.ts'],
  quick: ['http://127.0.0.1/'],
  'find-limit': ['find-limit', 'scenario.ts'],
  demo: ['demo'],
};

/** Help and the version are cli.ts's to print, before this runs. */
export function profileCommand(
  argv: ReadonlyArray<string>,
  version: string,
  store: ProfileStore,
  out: (text: string) => void = (text) => process.stdout.write(text),
): number {
  const {positionals, uses} = readCommandLine(argv);
  const [, sub, name, ...extra] = positionals;
  const noFlags = (what: string) => {
    if (uses.length > 0) throw new UsageError(`brink profile ${what} takes no flags (got ${uses[0].tokens[0]})`, 'BRINK_E_PROFILE');
  };
  const noExtra = (list: ReadonlyArray<string | undefined>) => {
    const first = list.find((x) => x !== undefined);
    if (first !== undefined) throw new UsageError(`unexpected argument '${first}' (${USAGE})`, 'BRINK_E_PROFILE');
  };
  switch (sub) {
    case 'save': {
      const profile = checkProfileName(name, 'brink profile save');
      noExtra(extra);
      return save(profile, uses, version, store, out);
    }
    case 'defaults': {
      noExtra([name, ...extra]);
      if (uses.length === 0) {
        const defaults = store.get(DEFAULTS_PROFILE);
        out(
          defaults
            ? show(DEFAULTS_PROFILE, defaults)
            : 'no defaults set: e.g. brink profile defaults --step 25 --no-color (every run then uses them)\n',
        );
        return EXIT.ok;
      }
      return save(DEFAULTS_PROFILE, uses, version, store, out);
    }
    case 'list':
    case 'ls': {
      noFlags('list');
      noExtra([name, ...extra]);
      const all = store.all();
      const names = Object.keys(all).sort();
      if (names.length === 0) {
        out(
          `no profiles yet (config: ${store.path})\n` +
            "save one: brink profile save staging --host https://staging.example.com -u 50 --threshold 'p95<800ms'\n",
        );
        return EXIT.ok;
      }
      const width = Math.max(...names.map((n) => n.length));
      for (const n of names) {
        const note = n === DEFAULTS_PROFILE ? '   (applied to every run)' : '';
        out(`${n.padEnd(width)}  ${displayTokens(all[n].argv, FLAGS).join(' ')}${note}\n`);
      }
      out(`\nconfig: ${store.path}\n`);
      return EXIT.ok;
    }
    case 'show': {
      noFlags('show');
      const profile = checkProfileName(name, 'brink profile show');
      noExtra(extra);
      out(show(profile, store.require(profile)));
      return EXIT.ok;
    }
    case 'delete':
    case 'rm': {
      noFlags('delete');
      const profile = checkProfileName(name, 'brink profile delete');
      noExtra(extra);
      store.delete(profile);
      out(`deleted profile '${profile}'\n`);
      return EXIT.ok;
    }
    case undefined:
      throw new UsageError(`brink profile needs a subcommand: ${USAGE}`, 'BRINK_E_PROFILE');
    default:
      throw new UsageError(`unknown profile subcommand '${sub}': ${USAGE}`, 'BRINK_E_PROFILE');
  }
}

function save(
  name: string,
  uses: ReadonlyArray<FlagUse & {name: FlagName}>,
  version: string,
  store: ProfileStore,
  out: (text: string) => void,
): number {
  const what = name === DEFAULTS_PROFILE ? 'brink profile defaults' : `brink profile save ${name}`;
  if (uses.length === 0) {
    throw new UsageError(
      `${what} needs the flags to keep, e.g. --host https://staging.example.com -u 50 --threshold 'p95<800ms'`,
      'BRINK_E_PROFILE',
    );
  }
  for (const use of uses) {
    if (!FLAGS[use.name].stored) throw new UsageError(`--${kebab(use.name)} cannot be kept in a profile`, 'BRINK_E_PROFILE');
    if (FLAGS[use.name].type === 'string' && use.value === '')
      throw new UsageError(`--${kebab(use.name)} needs a value`, 'BRINK_E_PROFILE');
  }
  const tokens = canonicalTokens(uses, FLAGS);
  check(tokens, uses, version);
  const {replaced} = store.save(name, tokens);
  const shown = displayTokens(tokens, FLAGS).join(' ');
  if (name === DEFAULTS_PROFILE) {
    out(
      `${replaced ? 'replaced' : 'saved'} your defaults: ${shown}\n` +
        'every run uses them; flags on the command line and --profile win over them\n',
    );
  } else {
    out(
      `${replaced ? 'replaced' : 'saved'} profile '${name}': ${shown}\n` +
        `use it: brink run <scenario.ts> --profile ${name}   (flags given on the command line win over it)\n`,
    );
  }
  return EXIT.ok;
}

/**
 * The flags must read as a run would read them, so a bad value is refused now, with the flag's name; a flag
 * `run` does not take is also read by the first command that takes it (flags.ts), e.g. -c by quick mode.
 */
function check(tokens: ReadonlyArray<string>, uses: ReadonlyArray<{name: FlagName}>, version: string): void {
  const commands = new Set<CommandName>(['run']);
  for (const {name} of uses) if (FLAGS[name].commands[0] !== 'run') commands.add(FLAGS[name].commands[0]);
  // Read as stored flags, not typed ones: find-limit skips a stored -u or --rate (it runs its own ramp), so a
  // profile made for run or quick mode is not refused for it.
  const stored = new Map(uses.map(({name}) => [name, 'the profile']));
  for (const command of commands) {
    try {
      // A stored --max-users is judged on its own, not against find-limit's default --start (5), which the run may set.
      const start = command === 'find-limit' && !stored.has('start') ? ['--start', '1'] : [];
      parseArgs([...(CONTEXTS[command] ?? []), ...start, ...tokens], version, stored);
    } catch (error) {
      if (error instanceof UsageError) throw new UsageError(`${error.message} (profile not saved)`, error.code, error.hint);
      throw error;
    }
  }
}

function show(name: string, profile: Profile): string {
  const lines = displayTokens(profile.argv, FLAGS).map((t) => `  ${t}`);
  const note = name === DEFAULTS_PROFILE ? ' · applied to every run' : '';
  return `${name}  (saved ${profile.savedAt.slice(0, 16).replace('T', ' ')}${note})\n${lines.join('\n')}\n`;
}
