// `brink init [file] [--pattern …] [--force]`, `brink init --from-openapi <spec> [file]` and
// `brink init --from-har <recording.har> [file]`: write a scenario to start from, then say what to run next.
import {existsSync, mkdirSync, writeFileSync} from 'node:fs';
import {dirname, extname, relative, resolve} from 'node:path';
import {UsageError, EXIT} from '../kernel/errors.js';
import {shellQuote} from '../kernel/shell-quote.js';
import {PATTERNS} from './patterns.js';
import {readSpec, scenarioFromOpenApi} from './openapi.js';
import {readHar} from './har-file.js';
import {scenarioFromHar, type HarScenario, type SelectOptions} from './har.js';

export interface Starter {
  /** The file to write, as given: relative to `cwd`; `.ts` is added to a name without an extension. */
  readonly target: string;
  /** One of PATTERNS by name, an OpenAPI (or Swagger) spec to read, or a browser's recording (HAR) to replay. */
  readonly from: {readonly pattern: string} | {readonly openapi: string} | {readonly har: string; readonly select?: SelectOptions};
  /** Overwrite the file if it exists. */
  readonly force: boolean;
}

/** Writes the starter and says what to run next. The command line is the CLI's to read (source/cli/init.ts). */
export function writeStarter({target, from, force}: Starter, out: (text: string) => void, cwd: string): number {
  const file = resolve(cwd, extname(target) === '' ? `${target}.ts` : target);
  const shown = relative(cwd, file) || file;
  if (existsSync(file) && !force)
    throw new UsageError(`${shown} exists: pass --force to overwrite it, or give another file name`, 'BRINK_E_INIT');

  let source: string;
  let what: string;
  let next: string;
  if ('openapi' in from) {
    const spec = from.openapi;
    const generated = scenarioFromOpenApi(readSpec(spec), spec, file);
    source = generated.source;
    const count = generated.operations.length;
    const auth = generated.auth ? `, auth '${generated.auth}' as a TODO in onStart` : '';
    what = `${count} operation${count === 1 ? '' : 's'} of "${generated.title}" (${generated.version})${auth}`;
    next = generated.host
      ? `brink run ${shellQuote(shown)}            (the spec's host ${generated.host}; --host <url> to aim elsewhere)`
      : `brink run ${shellQuote(shown)} --host <base URL of the API>`;
  } else if ('har' in from) {
    const generated = scenarioFromHar(readHar(from.har, resolve(cwd, from.har)), from.har, shown, from.select);
    source = generated.source;
    what = harSummary(generated);
    next = `brink run ${shellQuote(shown)} --host ${generated.origin}            (or the URL of another deployment)`;
  } else {
    const name = from.pattern;
    const chosen = PATTERNS.find((p) => p.name === name);
    if (!chosen) throw new UsageError(`--pattern: '${name}' is not one of ${PATTERNS.map((p) => p.name).join(', ')}`, 'BRINK_E_INIT');
    source = chosen.source.replaceAll('__FILE__', shown);
    what = `pattern ${chosen.name}: ${chosen.summary}`;
    next =
      `brink run ${shellQuote(shown)} --host <your app's URL>\n` +
      "      (it is written for brink's demo shop: try it as is with `brink demo --serve-only` and --host the URL it prints)";
  }
  try {
    mkdirSync(dirname(file), {recursive: true});
    writeFileSync(file, source);
  } catch (error) {
    throw new UsageError(`cannot write ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'BRINK_E_INIT');
  }
  out(`wrote ${shown} (${what})\nnext: ${next}\n`);
  return EXIT.ok;
}

/** What `--from-har` made of the recording, for the line that says what was written. */
function harSummary(g: HarScenario): string {
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const parts = [`${plural(g.names.length, 'request')} of ${g.recorded} recorded from ${g.origin}`];
  const {assets, otherHosts, preflights, unanswered, notHttp} = g.dropped;
  const dropped = [
    assets > 0 && `${plural(assets, 'static asset')} (--har-assets keeps them)`,
    otherHosts > 0 && `${otherHosts} on ${g.droppedHosts.join(', ')} (--har-hosts keeps them)`,
    preflights > 0 && plural(preflights, 'CORS preflight'),
    unanswered > 0 && `${unanswered} unanswered`,
    notHttp > 0 && `${notHttp} not HTTP`,
  ].filter(Boolean);
  if (dropped.length > 0) parts.push(`dropped ${dropped.join(', ')}`);
  if (g.redirects > 0) parts.push(`${plural(g.redirects, 'redirect')} left to brink to follow`);
  const read = new Set(g.correlations.map((c) => c.from)).size;
  if (read > 0) parts.push(`${plural(read, 'value')} read from answers at run time`);
  if (g.credentials.length > 0) parts.push(`TODO: move ${g.credentials.join(', ')} to a feeder or the environment`);
  return parts.join('; ');
}
