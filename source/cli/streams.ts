// Everything brink prints leaves through stdout and stderr, and here both are made safe once, at start-up: every
// write is redacted (kernel/redact.ts: a usage error echoing a URL's password, a note, the summary, a line added
// next year).
import {redactWrites} from '../kernel/redact.js';

let installed = false;

export function installStreams(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  if (installed) return;
  installed = true;
  for (const stream of streams) redactWrites(stream);
}
