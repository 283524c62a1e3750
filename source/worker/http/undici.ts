// undici, loaded only where a workload needs it: it takes ~100 ms to load in a worker, a fifth of a quick
// run's time to its first request, and quick mode over http:// never uses it (the h1 client carries it all).
import {createRequire} from 'node:module';
import type * as Undici from 'undici';

let loaded: typeof Undici | undefined;

export function loadUndici(): typeof Undici {
  // Required, not imported: undici is CommonJS, and import() first scans its source for export names
  // (cjs-module-lexer), ~10 ms more of a worker's start-up.
  loaded ??= createRequire(import.meta.url)('undici') as typeof Undici;
  return loaded;
}

/** undici, once `loadUndici` has run; a path that needs it without loading it first is a bug. */
export function undici(): typeof Undici {
  if (!loaded) throw new Error('undici is used before it was loaded (loadUndici)');
  return loaded;
}

/** A multipart body built by request-body.ts (none can exist before undici is loaded). */
export function isUndiciFormData(body: unknown): boolean {
  // Most bodies are none or text: asked first, as `instanceof` is a slow lookup when the answer is no.
  return typeof body === 'object' && body !== null && loaded !== undefined && body instanceof loaded.FormData;
}
