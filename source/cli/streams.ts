// Everything brink prints leaves through stdout and stderr, and here both are made safe once, at start-up: every
// write is redacted (kernel/redact.ts: a usage error echoing a URL's password, a note, the summary, a line added
// next year), and a reader that goes away (`brink … --json - | head -c 10`) ends the run as Ctrl-C would, quietly:
// no EPIPE stack trace, and the reports bound for files are still written.
import {redactWrites} from '../kernel/redact.js';
import {interrupt} from './interrupts.js';

let installed = false;

export function installStreams(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  if (installed) return;
  installed = true;
  for (const stream of streams) {
    redactWrites(stream);
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      interrupt();
    });
  }
}
