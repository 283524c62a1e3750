// `brink profile save|list|show|delete|defaults`: named sets of run flags, kept with conf.
import {FLAGS, parseArgs} from '../cli/args.js';
import {HELP} from '../cli/help.js';
import {UsageError, EXIT} from '../kernel/errors.js';
import {canonicalTokens, displayTokens, kebab, scanArgv, type FlagUse} from '../cli/scan.js';
import {NEVER_STORED} from './argv.js';
import {checkProfileName, DEFAULTS_PROFILE, type ProfileStore, type Profile} from './store.js';

const USAGE = 'brink profile save <name> [flags] | list | show <name> | delete <name> | defaults [flags]';

/** Flags each mode alone reads: a profile giving one is also checked as that mode would read it. */
const MODE_FLAGS: ReadonlyArray<readonly [ReadonlyArray<string>, ReadonlyArray<string>]> = [
  [['connections', 'duration', 'method', 'header', 'body'], ['http://127.0.0.1/']],
  [['start', 'maxUsers', 'recoveryTimeout'], ['find-limit', 'scenario.ts']],
  [['serveOnly', 'port'], ['demo']],
];

export function profileCommand(argv: ReadonlyArray<string>, version: string, store: ProfileStore,
  out: (text: string) => void = (text) => process.stdout.write(text)): number {
  const {positionals, flags} = scanArgv(argv, FLAGS);
  if (flags.some((use) => use.name === 'help')) {
    out(`${HELP.replace(/^\n/, '')}\n`);
    return EXIT.ok;
  }
  const unknown = flags.find((use) => use.unknown);
  if (unknown) throw new UsageError(`unknown flag ${unknown.tokens[0].split('=')[0]} (see brink --help)`);
  const [, sub, name, ...extra] = positionals;
  const noFlags = (what: string) => {
    if (flags.length > 0) throw new UsageError(`brink profile ${what} takes no flags (got ${flags[0].tokens[0]})`);
  };
  const noExtra = (list: ReadonlyArray<string | undefined>) => {
    const first = list.find((x) => x !== undefined);
    if (first !== undefined) throw new UsageError(`unexpected argument '${first}' (${USAGE})`);
  };
  switch (sub) {
    case 'save': {
      const profile = checkProfileName(name, 'brink profile save');
      noExtra(extra);
      return save(profile, flags, version, store, out);
    }
    case 'defaults': {
      noExtra([name, ...extra]);
      if (flags.length === 0) {
        const defaults = store.get(DEFAULTS_PROFILE);
        out(defaults ? show(DEFAULTS_PROFILE, defaults)
          : 'no defaults set: e.g. brink profile defaults --step 25 --no-color (every run then uses them)\n');
        return EXIT.ok;
      }
      return save(DEFAULTS_PROFILE, flags, version, store, out);
    }
    case 'list':
    case 'ls': {
      noFlags('list');
      noExtra([name, ...extra]);
      const all = store.all();
      const names = Object.keys(all).sort();
      if (names.length === 0) {
        out(`no profiles yet (config: ${store.path})\nsave one: brink profile save staging --host https://staging.example.com -u 50 --threshold 'p95<800ms'\n`);
        return EXIT.ok;
      }
      const width = Math.max(...names.map((n) => n.length));
      for (const n of names) out(`${n.padEnd(width)}  ${displayTokens(all[n].argv, FLAGS).join(' ')}${n === DEFAULTS_PROFILE ? '   (applied to every run)' : ''}\n`);
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
      throw new UsageError(`brink profile needs a subcommand: ${USAGE}`);
    default:
      throw new UsageError(`unknown profile subcommand '${sub}': ${USAGE}`);
  }
}

function save(name: string, flags: ReadonlyArray<FlagUse>, version: string, store: ProfileStore, out: (text: string) => void): number {
  const what = name === DEFAULTS_PROFILE ? 'brink profile defaults' : `brink profile save ${name}`;
  if (flags.length === 0) throw new UsageError(`${what} needs the flags to keep, e.g. --host https://staging.example.com -u 50 --threshold 'p95<800ms'`);
  for (const use of flags) {
    if (NEVER_STORED.has(use.name)) throw new UsageError(`--${kebab(use.name)} cannot be kept in a profile`);
    if (FLAGS[use.name as keyof typeof FLAGS]?.type === 'string' && use.value === '') throw new UsageError(`--${kebab(use.name)} needs a value`);
  }
  const tokens = canonicalTokens(flags, FLAGS);
  validate(tokens, version);
  const {replaced} = store.save(name, tokens);
  const shown = displayTokens(tokens, FLAGS).join(' ');
  if (name === DEFAULTS_PROFILE) {
    out(`${replaced ? 'replaced' : 'saved'} your defaults: ${shown}\nevery run uses them; flags on the command line and --profile win over them\n`);
  } else {
    out(`${replaced ? 'replaced' : 'saved'} profile '${name}': ${shown}\nuse it: brink run <scenario.ts> --profile ${name}   (flags given on the command line win over it)\n`);
  }
  return EXIT.ok;
}

/** The flags must read as a run would read them, so a bad value is refused now, with the flag's name. */
function validate(tokens: ReadonlyArray<string>, version: string): void {
  const names = new Set(scanArgv(tokens, FLAGS).flags.map((use) => use.name));
  const contexts = [['run', 'scenario.ts'], ...MODE_FLAGS.filter(([only]) => only.some((n) => names.has(n))).map(([, ctx]) => ctx)];
  for (const ctx of contexts) {
    try {
      parseArgs([...ctx, ...tokens], version);
    } catch (error) {
      if (error instanceof UsageError) throw new UsageError(`${error.message} (profile not saved)`);
      throw error;
    }
  }
}

function show(name: string, profile: Profile): string {
  const lines = displayTokens(profile.argv, FLAGS).map((t) => `  ${t}`);
  const note = name === DEFAULTS_PROFILE ? ' · applied to every run' : '';
  return `${name}  (saved ${profile.savedAt.slice(0, 16).replace('T', ' ')}${note})\n${lines.join('\n')}\n`;
}
