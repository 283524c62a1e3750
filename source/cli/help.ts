// `brink --help` and `brink <command> --help`, rendered from the command table (commands.ts, flags.ts):
// a flag added there is in the help, with its default, under the commands that take it.
import {COMMAND_NAMES, COMMANDS, SECTION_TITLES, type CommandName, type Section} from './commands.js';
import {defaultText, FLAG_NAMES, FLAGS, flagsOf, helpLine, type FlagName} from './flags.js';
import {kebab} from './scan.js';

const SECTIONS: ReadonlyArray<Section> = [
  'load',
  'quick',
  'find-limit',
  'plan',
  'common',
  'agents',
  'demo',
  'compare',
  'profile',
  'init',
  'global',
];
/** The help's width, and where flags' descriptions start (a longer flag takes a line of its own). */
const WIDTH = 118;
const COLUMN = 29;

const KEYS = `  Keys in the live view
    + -  users by the step   [ ]  step size   p  hold the plan   n  next stage / back to plan
    b    back to baseline and time the recovery   ↑↓ select   s sort   tab view   f  freeze   ?  help   q  quit`;

const EXIT_CODES = `  Exit codes
    0 done · 1 brink failed · 2 bad usage or bad scenario · 3 brink compare found a regression · 99 a threshold failed`;

/** The help for one command, or (no topic) for all of them; `description` heads the latter. */
export function helpText(topic?: CommandName, description?: string): string {
  const parts = topic === undefined ? globalParts(description) : commandParts(topic);
  return `${parts.filter((part) => part !== '').join('\n\n')}\n`;
}

function globalParts(description: string | undefined): string[] {
  const usages = COMMAND_NAMES.flatMap((name) => COMMANDS[name].usage.map((usage, i) => [usage, i === 0 ? COMMANDS[name].summary : '']));
  usages.push(['brink <command> --help', "that command's usage, flags and examples"]);
  const width = Math.max(...usages.filter(([, summary]) => summary !== '').map(([usage]) => usage.length)) + 2;
  return [
    description ? `  ${description}` : '',
    `  Usage\n${usages.map(([usage, summary]) => `    $ ${usage.padEnd(width)}${summary}`.trimEnd()).join('\n')}`,
    ...SECTIONS.map((section) =>
      flagSection(
        SECTION_TITLES[section],
        FLAG_NAMES.filter((name) => FLAGS[name].section === section),
      ),
    ),
    KEYS,
    EXIT_CODES,
    examples(COMMAND_NAMES.flatMap((name) => COMMANDS[name].examples ?? [])),
  ];
}

function commandParts(command: CommandName): string[] {
  const {usage, about = [], titles = {}, examples: shown = [], load} = COMMANDS[command];
  const own = flagsOf(command);
  return [
    `  Usage\n${usage.map((line) => `    $ ${line}`).join('\n')}`,
    about.map((line) => `  ${line}`).join('\n'),
    ...SECTIONS.map((section) =>
      flagSection(
        titles[section] ?? SECTION_TITLES[section],
        own.filter((name) => FLAGS[name].section === section),
        command,
      ),
    ),
    load ? KEYS : '',
    examples(shown),
  ];
}

function flagSection(title: string, names: ReadonlyArray<FlagName>, command?: CommandName): string {
  if (names.length === 0) return '';
  const lines = names.flatMap((name) => {
    const l = `    ${left(name)}`;
    const r = wrap(right(name, command), COLUMN);
    return l.length + 2 > COLUMN ? [l, ...r] : [`${l.padEnd(COLUMN)}${r[0].trimStart()}`, ...r.slice(1)];
  });
  return `  ${title}\n${lines.join('\n')}`;
}

/** `-u, --users <n>`, `    --host <url>`. */
function left(name: FlagName): string {
  const flag = FLAGS[name];
  const long = `${flag.shown ?? `--${kebab(name)}`}${flag.value ? ` ${flag.value}` : ''}`;
  return flag.shortFlag ? `-${flag.shortFlag}, ${long}` : `    ${long}`;
}

function right(name: FlagName, command?: CommandName): string {
  const text = helpLine(name, command);
  const fallback = defaultText(name, command);
  return fallback === undefined ? text : `${text} (default: ${fallback})`;
}

/** Words laid out from column `indent` up to WIDTH, every line indented; a quoted example is not split. */
function wrap(text: string, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.match(/'[^']*'\S*|\S+/g) ?? []) {
    if (line !== '' && indent + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.map((l) => `${' '.repeat(indent)}${l}`);
}

function examples(list: ReadonlyArray<string>): string {
  if (list.length === 0) return '';
  return `  Examples\n${list.map((line) => (line.startsWith('    ') ? `    ${line}` : `    $ ${line}`)).join('\n')}`;
}
