// `brink init [file] [--pattern …] [--force]` and `brink init --from-openapi <spec> [file]`: write a
// scenario to start from, then say what to run next.
import {existsSync, mkdirSync, writeFileSync} from 'node:fs';
import {dirname, extname, relative, resolve} from 'node:path';
import {HELP} from '../cli/help.js';
import {UsageError, EXIT} from '../kernel/errors.js';
import {scanArgv, shellQuote, type FlagSpec} from '../config/argv.js';
import {DEFAULT_PATTERN, PATTERNS} from './patterns.js';
import {readSpec, scenarioFromOpenApi} from './openapi.js';

export const INIT_FLAGS = {
  pattern: {type: 'string', shortFlag: 'p'},
  force: {type: 'boolean', shortFlag: 'f'},
  fromOpenapi: {type: 'string'},
} as const satisfies FlagSpec;

export function initCommand(argv: ReadonlyArray<string>, out: (text: string) => void = (text) => process.stdout.write(text), cwd = process.cwd()): number {
  const {positionals, flags} = scanArgv(argv, INIT_FLAGS);
  if (flags.some((use) => use.name === 'help')) {
    out(`${HELP.replace(/^\n/, '')}\n`);
    return EXIT.ok;
  }
  const unknown = flags.find((use) => use.unknown);
  if (unknown) throw new UsageError(`unknown flag ${unknown.tokens[0].split('=')[0]} for brink init (it takes --pattern, --from-openapi, --force)`);
  const value = (name: string) => {
    const uses = flags.filter((use) => use.name === name);
    const last = uses[uses.length - 1]?.value;
    if (last === '') throw new UsageError(`--${name === 'fromOpenapi' ? 'from-openapi' : name} needs a value`);
    return last;
  };
  const pattern = value('pattern') as string | undefined;
  const spec = value('fromOpenapi') as string | undefined;
  const force = value('force') === true;
  const [, target, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}': brink init [file] [--pattern <name>] [--from-openapi <spec>] [--force]`);
  if (pattern !== undefined && spec !== undefined) throw new UsageError('--pattern and --from-openapi are two starts: choose one');

  const file = resolve(cwd, target === undefined ? 'scenario.ts' : extname(target) === '' ? `${target}.ts` : target);
  const shown = relative(cwd, file) || file;
  if (existsSync(file) && !force) throw new UsageError(`${shown} exists: pass --force to overwrite it, or give another file name`);

  let source: string;
  let what: string;
  let next: string;
  if (spec !== undefined) {
    const generated = scenarioFromOpenApi(readSpec(spec), spec, file);
    source = generated.source;
    what = `${generated.operations.length} operation${generated.operations.length === 1 ? '' : 's'} of "${generated.title}" (${generated.version})${generated.auth ? `, auth '${generated.auth}' as a TODO in onStart` : ''}`;
    next = generated.host
      ? `brink run ${shellQuote(shown)}            (the spec's host ${generated.host}; --host <url> to aim elsewhere)`
      : `brink run ${shellQuote(shown)} --host <base URL of the API>`;
  } else {
    const name = pattern ?? DEFAULT_PATTERN;
    const chosen = PATTERNS.find((p) => p.name === name);
    if (!chosen) throw new UsageError(`--pattern: '${name}' is not one of ${PATTERNS.map((p) => p.name).join(', ')}`);
    source = chosen.source.replaceAll('__FILE__', shown);
    what = `pattern ${chosen.name}: ${chosen.summary}`;
    next = `brink run ${shellQuote(shown)} --host <your app's URL>\n      (it is written for brink's demo shop: try it as is with \`brink demo --serve-only\` and --host the URL it prints)`;
  }
  try {
    mkdirSync(dirname(file), {recursive: true});
    writeFileSync(file, source);
  } catch (error) {
    throw new UsageError(`cannot write ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  out(`wrote ${shown} (${what})\nnext: ${next}\n`);
  return EXIT.ok;
}
