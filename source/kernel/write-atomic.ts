import {renameSync, writeFileSync} from 'node:fs';

/** Writes via a temporary file and a rename, so a crash never leaves half a report. */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
