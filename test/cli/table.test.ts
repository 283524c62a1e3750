// The command table (source/cli/commands.ts, flags.ts) as data: consistent with itself, and every built-in
// default it states is what the parser applies.
import {describe, expect, it} from 'vitest';
import {COMMANDS, type CommandName} from '../../source/cli/commands.js';
import {builtIn, FLAG_NAMES, FLAGS, flagsOf, type FlagName} from '../../source/cli/flags.js';
import {parseArgs} from '../../source/cli/parse.js';
import {readCommandLine} from '../../source/cli/command-line.js';
import {kebab} from '../../source/cli/scan.js';
import {editDistance, nearest} from '../../source/cli/suggest.js';
import {PATTERNS} from '../../source/init/patterns.js';
import {UsageError} from '../../source/kernel/errors.js';

const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];
const load = COMMAND_NAMES.filter((c) => COMMANDS[c].load);

describe('the table', () => {
  it('gives each letter to one flag, and every string flag a placeholder', () => {
    const letters = FLAG_NAMES.map((name) => FLAGS[name].shortFlag).filter((l) => l !== undefined);
    expect(new Set(letters).size).toBe(letters.length);
    for (const name of FLAG_NAMES) {
      expect(FLAGS[name].commands.length, name).toBeGreaterThan(0);
      expect(FLAGS[name].help.length, name).toBeGreaterThan(0);
      expect(FLAGS[name].value === undefined, name).toBe(FLAGS[name].type === 'boolean');
    }
  });

  it('every command takes --help and --version', () => {
    for (const command of COMMAND_NAMES) expect(flagsOf(command)).toEqual(expect.arrayContaining(['help', 'version']));
  });

  it('a profile may keep the flags of a load command, --profile, --help and --version excepted', () => {
    for (const name of FLAG_NAMES) {
      const expected = FLAGS[name].commands.some((c) => load.includes(c)) && !['profile', 'help', 'version'].includes(name);
      expect(FLAGS[name].stored, name).toBe(expected);
    }
  });

  it('a command refuses typed only flags it would otherwise accept', () => {
    for (const name of FLAG_NAMES) {
      for (const command of Object.keys(FLAGS[name].refusedBy ?? {}) as CommandName[]) {
        expect(COMMANDS[command].load, `${name} ${command}`).toBe(true);
      }
    }
  });

  it("init's default pattern is one of its patterns, and --pattern's help names them all", () => {
    expect(PATTERNS.map((p) => p.name)).toContain(builtIn('pattern', 'init'));
    expect(FLAGS.pattern.help).toBe(
      `${PATTERNS.slice(0, -1)
        .map((p) => p.name)
        .join(', ')} or ${PATTERNS.at(-1)!.name}`,
    );
  });
});

describe('a built-in default is what the parser applies when the flag is not given', () => {
  const lines: Partial<Record<CommandName, string[]>> = {
    run: ['run', 'x.ts'],
    quick: ['http://127.0.0.1:1/'],
    'find-limit': ['find-limit', 'x.ts'],
    demo: ['demo'],
    compare: ['compare', 'a.json', 'b.json'],
  };
  // Applied only in some cases, so typing them is not the same as leaving them out: a plan's flags need the
  // plan, --abort-grace needs --abort-on-fail, and the demo's 30 s stand only for a headless demo.
  const sometimes = (name: FlagName, command: CommandName) =>
    (FLAGS[name].setting === 'plan' && command !== 'find-limit') || name === 'abortGrace' || (name === 'runTime' && command === 'demo');
  for (const [command, line] of Object.entries(lines) as Array<[CommandName, string[]]>) {
    it(command, () => {
      const names = flagsOf(command).filter((name) => builtIn(name, command) !== undefined && !sometimes(name, command));
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        const typed = parseArgs([...line, `--${kebab(name)}=${builtIn(name, command)}`], '0');
        expect(typed, name).toEqual(parseArgs(line, '0'));
      }
    });
  }
});

describe('reading a command line', () => {
  it('--help or -h anywhere asks for the help of the command named, and nothing is checked', () => {
    expect(parseArgs(['run', '--bogus', '-u', 'x', '-h'], '1.2.3')).toEqual({command: 'help', topic: 'run'});
    expect(parseArgs(['http://h/', '--help'], '1.2.3')).toEqual({command: 'help', topic: 'quick'});
    expect(parseArgs(['frobnicate', '--help'], '1.2.3')).toEqual({command: 'help', topic: undefined});
    expect(parseArgs([], '1.2.3')).toEqual({command: 'help', topic: undefined});
    expect(parseArgs(['demo', '-V'], '1.2.3')).toEqual({command: 'version', version: '1.2.3'});
    expect(readCommandLine(['--no-help', 'run', 'x.ts']).asks).toBeUndefined();
  });

  const mistakes: Array<[string[], string]> = [
    [['run', 'x.ts', '--treshold', 'p95<1s'], 'unknown flag --treshold; did you mean --threshold?'],
    [['run', 'x.ts', '--josn', 'out.json'], 'unknown flag --josn; did you mean --json?'],
    [['run', 'x.ts', '--bogus'], 'unknown flag --bogus for brink run (see brink run --help)'],
    [['compare', 'a', 'b', '--tolerence', '5%'], 'unknown flag --tolerence; did you mean --tolerance?'],
    [['compare', 'a', 'b', '--frob'], 'unknown flag --frob for brink compare (it takes --tolerance)'],
    [['profile', 'save', 'p', '--frob'], 'unknown flag --frob for brink profile (see brink run --help)'],
    [['--frob'], 'unknown flag --frob (see brink --help)'],
    [['run', 'x.ts', '-u', '1', '--users', '2'], '-u/--users given twice: it takes one value'],
    [['run', 'x.ts', '--color', '--no-color'], '--color given twice: it takes one value'],
    [['compare', 'a', 'b', '--tolerance', '1%', '--tolerance=2%'], '--tolerance given twice: it takes one value'],
    [['compare', 'a', 'b', '-u', '3'], '-u/--users does not go with brink compare (only --tolerance does)'],
    [['http://h/', '--force'], '-f/--force goes with brink init'],
    [
      ['serve'],
      "unknown command 'serve': brink takes demo, run, find-limit, agent, init, profile, compare, or a URL (brink <http://url>; " +
        'see brink --help)',
    ],
    [['dmeo'], "unknown command 'dmeo'; did you mean brink demo?"],
  ];
  for (const [argv, message] of mistakes) {
    it(`brink ${argv.join(' ')}`, () => {
      expect(() => parseArgs(argv, '0')).toThrow(UsageError);
      expect(() => parseArgs(argv, '0')).toThrow(message);
    });
  }

  it('a flag a command refuses typed is skipped when a profile gives it', () => {
    expect(() => readCommandLine(['find-limit', 'x.ts', '--users=5'])).toThrow('find-limit does not take -u/--users');
    expect(readCommandLine(['find-limit', 'x.ts', '--users=5'], new Map([['users', "profile 'p'"]])).command).toBe('find-limit');
  });
});

describe('did you mean', () => {
  it('counts edits, a swap of neighbours as one', () => {
    expect(editDistance('treshold', 'threshold')).toBe(1);
    expect(editDistance('josn', 'json')).toBe(1);
    expect(editDistance('bogus', 'body')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only what is within a typo of the word', () => {
    expect(nearest('hedless', ['headless', 'html'])).toBe('headless');
    expect(nearest('bogus', ['body', 'hold'])).toBeUndefined();
    expect(nearest('x', ['md', 'yes'])).toBeUndefined();
    expect(nearest('mf', ['md', 'yes'])).toBe('md');
  });
});
