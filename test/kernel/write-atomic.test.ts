// Reports are written atomically, but never renamed over a symlink or a device: those are written through.
import {execFileSync} from 'node:child_process';
import {lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {writeAtomic, writeTarget} from '../../source/kernel/write-atomic.js';

const dir = mkdtempSync(join(tmpdir(), 'brink-write-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe('writeAtomic', () => {
  it('replaces a regular file by a rename, leaving no temporary file', () => {
    const file = join(dir, 'plain.json');
    writeFileSync(file, 'old');
    writeAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps a symlink a symlink: the file it points to is the one replaced', () => {
    const target = join(dir, 'target.json');
    const link = join(dir, 'link.json');
    writeFileSync(target, 'old');
    symlinkSync(target, link);
    expect(writeTarget(link)).toEqual({through: false, path: target});
    writeAtomic(link, 'new');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe('new');
  });

  it('writes through a symlink to a device (renaming over it had made it a regular file)', () => {
    const link = join(dir, 'null.json');
    symlinkSync('/dev/null', link);
    expect(writeTarget(link)).toEqual({through: true, path: link});
    writeAtomic(link, 'gone');
    expect(readlinkSync(link)).toBe('/dev/null');
  });

  it('writes through a dangling symlink, which makes its target', () => {
    const target = join(dir, 'made.json');
    const link = join(dir, 'dangling.json');
    symlinkSync(target, link);
    writeAtomic(link, 'made');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('made');
  });

  it("never renames over a path in /dev or /proc: someone's open descriptor (/dev/stdout as root)", () => {
    for (const path of ['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1', '/dev/null'])
      expect(writeTarget(path)).toEqual({through: true, path});
  });

  it.skipIf(process.platform === 'win32')('writes through a FIFO', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(writeTarget(fifo)).toEqual({through: true, path: fifo});
  });

  it('a file not there yet is made atomically', () => {
    expect(writeTarget(join(dir, 'new.json'))).toEqual({through: false, path: join(dir, 'new.json')});
  });
});
