// Reading one flag's value: every mistake is a UsageError naming the flag to fix.
import {accessSync, closeSync, constants, openSync, readFileSync, statSync, unlinkSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {parseDuration} from '../kernel/duration.js';
import {UsageError} from '../kernel/errors.js';
import {knownSecret} from '../kernel/redact.js';
import {writeTarget} from '../kernel/write-atomic.js';
import {STDOUT} from '../report/outputs.js';

export function usage(message: string): never {
  throw new UsageError(message, 'BRINK_E_FLAG_VALUE');
}

export function number(text: string, flag: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new UsageError(`${flag}: '${text}' is not a positive number`, 'BRINK_E_FLAG_VALUE');
  return n;
}

export function int(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min)
    throw new UsageError(`${flag}: '${text}' is not a whole number >= ${min}`, 'BRINK_E_FLAG_VALUE');
  return n;
}

/** The longest a timer holds (setTimeout's 2^31-1 ms, 24.8 days): past it Node fires after 1 ms instead. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** `zero`: 0 is taken (a stage of 0s jumps to its target at once). */
export function duration(text: string, flag: string, zero = false): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms < 0 || (ms === 0 && !zero))
    throw new UsageError(`${flag}: '${text}' is not a duration (use e.g. 30s, 5m, 1h30m, 500ms)`, 'BRINK_E_FLAG_VALUE');
  if (ms > MAX_DURATION_MS)
    throw new UsageError(
      `${flag}: '${text}' is longer than a timer can wait (at most ${Math.floor(MAX_DURATION_MS / 3_600_000)}h, 24.8 days)`,
      'BRINK_E_FLAG_VALUE',
    );
  return ms;
}

export function url(text: string, flag: string): string {
  try {
    const u = new URL(text);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    return u.href;
  } catch {
    throw new UsageError(`${flag}: '${text}' is not an http(s) URL`, 'BRINK_E_FLAG_VALUE');
  }
}

/** Headers whose values are credentials: hidden wherever they turn up (a target echoing them in an error page). */
const CREDENTIAL_HEADER = /authorization|api[-_]?key|token|secret|password|cookie/i;

export function headers(list: ReadonlyArray<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list) {
    const i = h.indexOf(':');
    // The value is not echoed: it may be the credential itself.
    if (i <= 0) throw new UsageError(`-H/--header: '${h.slice(0, 40)}' is not 'Name: value'`, 'BRINK_E_FLAG_VALUE');
    const name = h.slice(0, i).trim().toLowerCase();
    const value = h.slice(i + 1).trim();
    if (CREDENTIAL_HEADER.test(name)) {
      knownSecret(value);
      knownSecret(value.replace(/^(?:Bearer|Basic|Digest|Token|Negotiate)\s+/i, ''));
      if (name === 'cookie') for (const pair of value.split(';')) knownSecret(pair.slice(pair.indexOf('=') + 1).trim());
    }
    out[name] = value;
  }
  return out;
}

export function body(text: string): string {
  if (!text.startsWith('@')) return text;
  try {
    return readFileSync(text.slice(1), 'utf8');
  } catch (error) {
    throw new UsageError(
      `--body: cannot read ${text.slice(1)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      'BRINK_E_FLAG_VALUE',
    );
  }
}

/** A report that goes to stdout: `-`, or stdout's own names. */
const STDOUT_NAMES = new Set([STDOUT, '/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']);

/**
 * A report's path (`files`: the files a --csv prefix stands for), checked before any load, so a long run never ends
 * unable to write: the directory exists and takes a new file, the path is not a directory. `-` is stdout, where a
 * report may go (`stdout`) or may not (--csv: three files).
 */
export function outputPath(file: string, flag: string, {stdout = true, files = [file]}: {stdout?: boolean; files?: string[]} = {}): string {
  const fail = (why: string): never => {
    throw new UsageError(`${flag}: ${why}`, 'BRINK_E_OUTPUT');
  };
  if (file.trim() === '') throw new UsageError(`${flag} needs a file name`, 'BRINK_E_OUTPUT');
  if (STDOUT_NAMES.has(file)) {
    if (stdout) return STDOUT;
    fail(`'${file}' is stdout, and ${flag} writes ${files.length} files (${files.join(', ')}): give a prefix for them`);
  }
  for (const each of files) {
    const {through, path} = writeTarget(each);
    const found = statOf(path);
    if (found?.isDirectory()) fail(`${each} is a directory: give a file name`);
    if (through) {
      // A device, a FIFO, a symlink to one: written through, so it must take writing (it is not opened: a FIFO would wait).
      try {
        accessSync(path, constants.W_OK);
      } catch (error) {
        fail(`cannot write to ${each} (${(error as NodeJS.ErrnoException).code})`);
      }
      continue;
    }
    const dir = dirname(path);
    const at = statOf(dir);
    if (!at) fail(`the directory ${dir} does not exist`);
    if (!at!.isDirectory()) fail(`${dir} is not a directory`);
    // Written beside itself and renamed into place: the directory must take a new file. Asked of the directory itself
    // (access() says yes to root on a read-only mount).
    const probe = join(dir, `.brink-${process.pid}-${Date.now()}.probe`);
    try {
      closeSync(openSync(probe, 'wx'));
      unlinkSync(probe);
    } catch (error) {
      fail(`cannot write in ${dir} (${(error as NodeJS.ErrnoException).code})`);
    }
  }
  return file;
}

function statOf(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
