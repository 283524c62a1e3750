import {lstatSync, realpathSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';

/**
 * Where writeAtomic() puts `file`, and how. A regular file (or one not there yet) is written beside itself and
 * renamed into place. A symlink to a regular file keeps being a symlink: its target is the file replaced. Anything
 * else is written through, never renamed over: a device, a FIFO (`--json >(jq .)`), a symlink to one, a path in
 * /dev or /proc (`/dev/stderr`, `/dev/fd/3`: someone's open descriptor; renaming over /dev/stdout as root had
 * made it a regular file). A directory is written through too, which fails saying so.
 */
export function writeTarget(file: string): {readonly through: boolean; readonly path: string} {
  if (/^\/(?:dev|proc)\//.test(file)) return {through: true, path: file};
  let link;
  try {
    link = lstatSync(file);
  } catch {
    return {through: false, path: file}; // not there yet: made atomically
  }
  if (link.isFile()) return {through: false, path: file};
  if (!link.isSymbolicLink()) return {through: true, path: file};
  try {
    const path = realpathSync(file);
    if (/^\/(?:dev|proc)\//.test(path) || !statSync(path).isFile()) return {through: true, path: file};
    return {through: false, path};
  } catch {
    return {through: true, path: file}; // a dangling symlink: writing through it makes its target
  }
}

/** Writes via a temporary file and a rename, so a crash never leaves half a report; see writeTarget for what is written through. */
export function writeAtomic(file: string, text: string): void {
  const {through, path} = writeTarget(file);
  if (through) {
    writeFileSync(path, text);
    return;
  }
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, {force: true});
    throw error;
  }
}
