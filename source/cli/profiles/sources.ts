// The other places a run's flags come from, besides the command line and profiles: the environment
// (BRINK_USERS=50, as k6 reads K6_VUS) and a project's config file (brink.config.json or .ts beside the
// scenario, or in the directory brink runs in). Each becomes a layer of flags, merged as profiles are.
import {existsSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join, relative, resolve} from 'node:path';
import {UsageError} from '../../kernel/errors.js';
import {FLAG_NAMES, FLAGS, type FlagName} from '../flags.js';
import {kebab} from '../scan.js';
import type {Layer} from './merge.js';

/** Environment variables brink reads for itself, not as flags. */
const NOT_FLAGS = new Set(['BRINK_CONFIG_DIR', 'BRINK_LEAN_HTTP']);

/** `BRINK_RUN_TIME` for `runTime`: the variable a flag is read from. */
export const envName = (name: FlagName): string => `BRINK_${kebab(name).replace(/-/g, '_').toUpperCase()}`;

/** Flags a run may take from the environment or a config file: those a profile may keep. */
const storable = FLAG_NAMES.filter((name) => FLAGS[name].stored !== false);

/** `true`, `1`, `yes`, `on` (any case) are true; `false`, `0`, `no`, `off` false; anything else is a mistake. */
function truth(text: string, where: string): boolean {
  if (/^(1|true|yes|on)$/i.test(text.trim())) return true;
  if (/^(0|false|no|off)$/i.test(text.trim())) return false;
  throw new UsageError(`${where}: '${text}' is not true or false (1/0, yes/no)`, 'BRINK_E_CONFIG');
}

/** The flag as tokens: `--users=50`, `--headless`, `--no-color`; a repeatable one once per value. */
function tokens(name: FlagName, values: ReadonlyArray<string | number | boolean>, where: string): string[] {
  const flag = `--${kebab(name)}`;
  if (FLAGS[name].type === 'boolean') {
    const on = values.map((v) => (typeof v === 'boolean' ? v : truth(String(v), where))).at(-1);
    return [on ? flag : `--no-${kebab(name)}`];
  }
  return values.map((v) => `${flag}=${v}`);
}

/**
 * The environment's flags, a layer each (so a message can name the variable): BRINK_<FLAG> for each flag a
 * profile may keep (BRINK_HOST, BRINK_USERS, BRINK_RUN_TIME, BRINK_HEADLESS=1…). A repeatable flag takes one
 * value a line (BRINK_THRESHOLD).
 */
export function environmentLayers(env: NodeJS.ProcessEnv): Layer[] {
  const layers: Layer[] = [];
  for (const name of storable) {
    const variable = envName(name);
    const value = env[variable];
    if (value === undefined || value === '' || NOT_FLAGS.has(variable)) continue;
    const values = FLAGS[name].isMultiple ? value.split(/\r?\n/).filter((v) => v.trim() !== '') : [value];
    layers.push({label: variable, argv: tokens(name, values, variable)});
  }
  return layers;
}

const CONFIG_FILES = ['brink.config.json', 'brink.config.ts'];

/** The config file for a run: beside its scenario file, else in `cwd`; undefined when there is none. */
export function findConfig(scenarioFile: string | undefined, cwd: string): string | undefined {
  const dirs = [...(scenarioFile ? [dirname(resolve(cwd, scenarioFile))] : []), resolve(cwd)];
  for (const dir of dirs) {
    for (const name of CONFIG_FILES) {
      const file = join(dir, name);
      if (existsSync(file)) return file;
    }
  }
  return undefined;
}

/** A config file's settings: an object of flag names (camelCase or kebab-case) to values; an array for a repeatable one. */
export function configLayer(file: string, cwd: string): Layer {
  const shown = relative(cwd, file) || file;
  const settings = readConfig(file, shown);
  const argv: string[] = [];
  for (const [key, value] of Object.entries(settings)) {
    const name = FLAG_NAMES.find((n) => n === key || kebab(n) === key);
    if (!name || !storable.includes(name)) {
      throw new UsageError(`${shown}: '${key}' is not a flag a config file can set (brink run --help lists them)`, 'BRINK_E_CONFIG');
    }
    const values = Array.isArray(value) ? value : [value];
    if (values.length > 1 && !FLAGS[name].isMultiple)
      throw new UsageError(`${shown}: '${key}' takes one value, not a list`, 'BRINK_E_CONFIG');
    if (!values.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) {
      throw new UsageError(`${shown}: '${key}' takes a string, a number or true/false`, 'BRINK_E_CONFIG');
    }
    argv.push(...tokens(name, values as Array<string | number | boolean>, `${shown}: '${key}'`));
  }
  return {label: shown, argv};
}

function readConfig(file: string, shown: string): Record<string, unknown> {
  let value: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.json')) value = JSON.parse(text);
    else {
      // A TypeScript config is an object literal with types, compiled and evaluated as a module of its own.
      const {transformSync} = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
      const js = transformSync(text, {loader: 'ts', format: 'cjs'}).code;
      const module = {exports: {} as Record<string, unknown>};
      new Function('module', 'exports', js)(module, module.exports);
      value = (module.exports as {default?: unknown}).default ?? module.exports;
    }
  } catch (error) {
    throw new UsageError(`${shown}: ${(error as Error).message.split('\n')[0]}`, 'BRINK_E_CONFIG');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${shown}: expected an object of settings, e.g. {"host": "http://127.0.0.1:8000", "users": 50}`, 'BRINK_E_CONFIG');
  }
  return value as Record<string, unknown>;
}
