// Where in the user's scenario a script error happened, as `file:line`. Workers enable source maps,
// so stack frames of the esbuild bundle point back to the original .ts file.
import {basename} from 'node:path';

export function scriptLocation(error: unknown, scenarioFile: string): string | undefined {
  const stack = (error as {stack?: string} | undefined)?.stack;
  if (!stack || !scenarioFile) return undefined;
  const name = basename(scenarioFile);
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/.exec(line);
    if (m && basename(m[1]) === name) return `${name}:${m[2]}`;
  }
  return undefined;
}
