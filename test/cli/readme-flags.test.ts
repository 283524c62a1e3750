// The readme documents every flag of every command, and no flag brink does not have: both read from the
// command table, so a flag added, renamed or dropped there fails here until the readme says so.
import {describe, expect, it} from 'vitest';
import {readFileSync} from 'node:fs';
import {COMMANDS, type CommandName} from '../../source/cli/commands.js';
import {FLAG_NAMES, FLAGS, flagsOf} from '../../source/cli/flags.js';
import {camel, kebab} from '../../source/cli/scan.js';

const readme = readFileSync(new URL('../../readme.md', import.meta.url), 'utf8');
/** `--no-color` for a flag help shows negated; else its long name. */
const shown = (name: (typeof FLAG_NAMES)[number]) => FLAGS[name].shown ?? `--${kebab(name)}`;
const mentions = (flag: string) => new RegExp(`(^|[^\\w-])${flag}(?![\\w-])`).test(readme);

describe('the readme and the command table agree', () => {
  for (const command of Object.keys(COMMANDS) as CommandName[]) {
    it(`it mentions every flag ${command === 'quick' ? 'quick mode' : `brink ${command}`} takes`, () => {
      const missing = flagsOf(command).filter((name) => !mentions(shown(name)));
      expect(missing.map(shown)).toEqual([]);
    });
  }

  it('it mentions no flag brink does not have', () => {
    const known = new Set(FLAG_NAMES.flatMap((name) => [`--${kebab(name)}`, shown(name)]));
    // Flags of other programs the readme quotes: `git rev-parse --short`. (A flag's name may have a digit: --http2.)
    const others = new Set(['--short']);
    const stray = [...new Set(readme.match(/(?<![\w-])--[a-z][a-z0-9-]*/g))].filter((flag) => !known.has(flag) && !others.has(flag));
    expect(stray).toEqual([]);
  });

  it("its letters are the table's: `-u, --users` names one flag", () => {
    const pairs = [...readme.matchAll(/(?<![\w-])-(\w)(?:,|\/| or) ?`?--([a-z][a-z0-9-]*)/g)];
    expect(pairs.length).toBeGreaterThan(5);
    for (const [text, letter, name] of pairs) expect(FLAGS[camel(name) as (typeof FLAG_NAMES)[number]]?.shortFlag, text).toBe(letter);
  });
});
