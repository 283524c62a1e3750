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
      `unexpected argument '${extra[0]}': brink init [file] [--pattern <name>] [--from-openapi <spec>] [--force]`,
      'BRINK_E_INIT',
    );
  }
  const spec = f.string('fromOpenapi');
  if (f.has('pattern') && spec !== undefined)
    throw new UsageError('--pattern and --from-openapi are two starts: choose one', 'BRINK_E_INIT');
  return writeStarter({target, from: spec === undefined ? {pattern: f.or('pattern')} : {openapi: spec}, force: f.bool('force')}, out, cwd);
}
