// `brink init`'s command line → the starter to write (source/init, which knows nothing of the command line).
import {UsageError} from '../kernel/errors.js';
import {writeStarter} from '../init/command.js';
import {readCommandLine} from './command-line.js';
import {INIT_FILE} from './commands.js';
import {FlagValues} from './flag-values.js';
import {kebab} from './scan.js';

/** Help and the version are cli.ts's to print, before this runs. */
export function initCommand(
  argv: ReadonlyArray<string>,
  out: (text: string) => void = (text) => process.stdout.write(text),
  cwd = process.cwd(),
): number {
  const {positionals, uses} = readCommandLine(argv);
  const f = new FlagValues(uses, 'init');
  for (const {name, value} of uses) {
    if (value === '') throw new UsageError(`--${kebab(name)} needs a value`, 'BRINK_E_INIT');
  }
  const [, target = INIT_FILE, ...extra] = positionals;
  if (extra.length > 0) {
    throw new UsageError(
      `unexpected argument '${extra[0]}': brink init [file] [--pattern <name>] [--from-openapi <spec>] [--from-har <file.har>] [--force]`,
      'BRINK_E_INIT',
    );
  }
  const spec = f.string('fromOpenapi');
  const har = f.string('fromHar');
  const starts = (['pattern', 'fromOpenapi', 'fromHar'] as const).filter((name) => f.has(name)).map((name) => `--${kebab(name)}`);
  if (starts.length > 1) throw new UsageError(`${starts.join(' and ')} are two starts: choose one`, 'BRINK_E_INIT');
  const harFlags = (['harHosts', 'harAllHosts', 'harAssets'] as const).filter((name) => f.has(name));
  if (har === undefined && harFlags.length > 0)
    throw new UsageError(`--${kebab(harFlags[0])} goes with --from-har <file.har>`, 'BRINK_E_INIT');
  const from =
    har !== undefined
      ? {
          har,
          select: {
            hosts: (f.string('harHosts') ?? '').split(',').filter((h) => h.trim() !== ''),
            allHosts: f.bool('harAllHosts'),
            assets: f.bool('harAssets'),
          },
        }
      : spec !== undefined
        ? {openapi: spec}
        : {pattern: f.or('pattern')};
  return writeStarter({target, from, force: f.bool('force')}, out, cwd);
}
