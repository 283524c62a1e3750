// `brink init`'s command line → the starter to write (source/init, which knows nothing of the command line).
import {HELP} from './help.js';
import {UsageError, EXIT} from '../kernel/errors.js';
import {scanArgv, type FlagSpec} from './scan.js';
import {writeStarter} from '../init/command.js';
import {DEFAULT_PATTERN} from '../init/patterns.js';

export const INIT_FLAGS = {
  pattern: {type: 'string', shortFlag: 'p'},
  force: {type: 'boolean', shortFlag: 'f'},
  fromOpenapi: {type: 'string'},
} as const satisfies FlagSpec;

export function initCommand(argv: ReadonlyArray<string>, out: (text: string) => void = (text) => process.stdout.write(text),
  cwd = process.cwd()): number {
  const {positionals, flags} = scanArgv(argv, INIT_FLAGS);
  if (flags.some((use) => use.name === 'help')) {
    out(`${HELP.replace(/^\n/, '')}\n`);
    return EXIT.ok;
  }
  const unknown = flags.find((use) => use.unknown);
  if (unknown) {
    throw new UsageError(`unknown flag ${unknown.tokens[0].split('=')[0]} for brink init (it takes --pattern, --from-openapi, --force)`);
  }
  const value = (name: string) => {
    const uses = flags.filter((use) => use.name === name);
    const last = uses[uses.length - 1]?.value;
    if (last === '') throw new UsageError(`--${name === 'fromOpenapi' ? 'from-openapi' : name} needs a value`);
    return last;
  };
  const pattern = value('pattern') as string | undefined;
  const spec = value('fromOpenapi') as string | undefined;
  const [, target = 'scenario.ts', ...extra] = positionals;
  if (extra.length > 0) {
    throw new UsageError(`unexpected argument '${extra[0]}': brink init [file] [--pattern <name>] [--from-openapi <spec>] [--force]`);
  }
  if (pattern !== undefined && spec !== undefined) throw new UsageError('--pattern and --from-openapi are two starts: choose one');
  const from = spec === undefined ? {pattern: pattern ?? DEFAULT_PATTERN} : {openapi: spec};
  return writeStarter({target, from, force: value('force') === true}, out, cwd);
}
