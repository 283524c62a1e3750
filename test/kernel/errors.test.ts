// Every error code brink can print is in the readme's table, with its exit code, and the table names no other.
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {BrinkError, ERROR_CODES, formatError, UsageError} from '../../source/kernel/errors.js';

const readme = readFileSync(new URL('../../readme.md', import.meta.url), 'utf8');

describe('error codes', () => {
  it('the readme lists every code with its exit code, and no code brink does not have', () => {
    const rows = [...readme.matchAll(/^\| `(BRINK_E_[A-Z_]+)` \| (\d+) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(Object.entries(ERROR_CODES).map(([code, e]) => [code, e.exit])));
  });

  it('an error prints as one line with its code, then its hint', () => {
    expect(formatError(new UsageError("--timeout: 'soon' is not a duration", 'BRINK_E_FLAG_VALUE'))).toBe(
      `brink: --timeout: 'soon' is not a duration (BRINK_E_FLAG_VALUE)\n  hint: ${ERROR_CODES.BRINK_E_FLAG_VALUE.hint}\n`,
    );
    expect(new BrinkError('BRINK_E_INTERNAL', 'x').exitCode).toBe(1);
    expect(formatError(new BrinkError('BRINK_E_FEEDER', 'a\nb', 'look here'))).toBe('brink: a (BRINK_E_FEEDER)\n  hint: look here\n');
  });
});
