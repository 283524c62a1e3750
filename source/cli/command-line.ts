// A command line read by the command table: which command it names, its positionals and flag uses, whether it
// asks for help or the version (then nothing else is checked: help and version never start anything), and
// every mistake about flags as a usage error: unknown (with the nearest known one), given twice, or not one
// the command takes. The values are read by parse.ts (load commands, compare), init.ts and profiles/command.ts.
import {UsageError} from '../kernel/errors.js';
import {COMMAND_NAMES, COMMANDS, commandNamed, type CommandName} from './commands.js';
import {accepts, FLAG_NAMES, FLAGS, flagsOf, label, type FlagName} from './flags.js';
import {kebab, scanArgv, type FlagUse} from './scan.js';
import {nearest} from './suggest.js';

export interface CommandLine {
  /** The command the first positional names (quick mode for a URL or a path); undefined: none. */
  readonly command?: CommandName;
  /** Every positional, the command's word first. */
  readonly positionals: ReadonlyArray<string>;
  readonly uses: ReadonlyArray<FlagUse & {readonly name: FlagName}>;
  /** --help/-h or --version/-V: print it and start nothing. */
  readonly asks?: 'help' | 'version';
}

/**
 * `stored`: the flags that came from a profile or the user's defaults (by name), not typed. A command
 * refuses some flags typed (find-limit, a load shape) but skips them stored: one profile serves every mode.
 */
export function readCommandLine(argv: ReadonlyArray<string>, stored: ReadonlyMap<string, string> = new Map()): CommandLine {
  const {positionals, flags: uses} = scanArgv(argv, FLAGS);
  const first = positionals[0];
  const command = first === undefined ? undefined : commandNamed(first);
  const asked = (name: FlagName) => uses.some((use) => use.name === name && use.value === true);
  const asks = asked('help') ? 'help' : asked('version') ? 'version' : undefined;
  if (asks) return {command, positionals, uses: uses.filter((use) => !use.unknown) as CommandLine['uses'], asks};
  const unknown = uses.find((use) => use.unknown);
  if (unknown) throw new UsageError(unknownFlag(unknown.tokens[0].split('=')[0], command), 'BRINK_E_UNKNOWN_FLAG');
  if (first !== undefined && command === undefined) throw new UsageError(unknownCommand(first), 'BRINK_E_UNKNOWN_FLAG');
  const known = uses as CommandLine['uses'];
  const seen = new Set<string>();
  for (const {name} of known) {
    if (FLAGS[name].isMultiple) continue;
    if (seen.has(name)) throw new UsageError(`${label(name)} given twice: it takes one value`);
    seen.add(name);
  }
  if (command === undefined) return {positionals, uses: known};
  for (const {name} of known) {
    // A load command takes any load flag from a profile (one profile serves every mode), but one typed must be its
    // own, or share its setting (-u and -c, -t and -d): `brink run x.ts -m POST` would otherwise do nothing, silently.
    if (!accepts(command, name)) throw new UsageError(notTaken(name, command), 'BRINK_E_UNKNOWN_FLAG');
    if (stored.has(name)) continue;
    const refused = FLAGS[name].refusedBy?.[command];
    if (refused) throw new UsageError(`${command} does not take ${label(name)}: ${refused}`);
    const own = FLAGS[name].commands.includes(command) || sameSetting(name).some((other) => FLAGS[other].commands.includes(command));
    if (!own && COMMANDS[command].load) throw new UsageError(notTaken(name, command), 'BRINK_E_UNKNOWN_FLAG');
  }
  return {command, positionals, uses: known};
}

/** The flags a command takes that its help lists, --help and --version left out. */
const ownFlags = (command: CommandName) => flagsOf(command).filter((name) => FLAGS[name].section !== 'global');

function unknownFlag(typed: string, command: CommandName | undefined): string {
  const candidates = FLAG_NAMES.filter((name) => command === undefined || accepts(command, name)).flatMap((name) =>
    FLAGS[name].type === 'boolean' ? [kebab(name), `no-${kebab(name)}`] : [kebab(name)],
  );
  const guess = typed.startsWith('--') ? nearest(typed.slice(2), candidates) : undefined;
  if (guess) return `unknown flag ${typed}; did you mean --${guess}?`;
  if (command === undefined) return `unknown flag ${typed} (see brink --help)`;
  // `brink profile` keeps the load commands' flags: `brink run --help` lists them.
  const hint = !COMMANDS[command].takesLoadFlags
    ? `it takes ${ownFlags(command).map(label).join(', ')}`
    : `see ${helpOf(COMMANDS[command].load ? command : 'run')}`;
  return `unknown flag ${typed} for ${nameOf(command)} (${hint})`;
}

function unknownCommand(word: string): string {
  const names = COMMAND_NAMES.filter((name) => name !== 'quick');
  const guess = nearest(word, names);
  if (guess) return `unknown command '${word}'; did you mean brink ${guess}?`;
  return `unknown command '${word}': brink takes ${names.join(', ')}, or a URL (brink <http://url>; see brink --help)`;
}

/** A known flag the command does not take: another command's, or (for a small command) anything not its own. */
function notTaken(name: FlagName, command: CommandName): string {
  if (COMMANDS[command].takesLoadFlags) return `${label(name)} goes with ${nameOf(FLAGS[name].commands[0])}`;
  const own = ownFlags(command).map(label);
  return `${label(name)} does not go with ${nameOf(command)} (only ${own.join(', ')} ${own.length === 1 ? 'does' : 'do'})`;
}

const nameOf = (command: CommandName) => (command === 'quick' ? 'quick mode' : `brink ${command}`);
const helpOf = (command: CommandName) => `${command === 'quick' ? 'brink <url>' : `brink ${command}`} --help`;

/** The flags that set the same thing as `name` (-u/--users and -c/--connections), `name` included. */
function sameSetting(name: FlagName): FlagName[] {
  const setting = FLAGS[name].setting;
  return setting === undefined ? [name] : (Object.keys(FLAGS) as FlagName[]).filter((other) => FLAGS[other].setting === setting);
}
