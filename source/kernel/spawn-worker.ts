// Starts a worker from this package's own files. From the built JavaScript it is a plain Worker; when
// running from TypeScript sources (tests, tsx) Node 20 workers do not inherit loader hooks, so the
// worker first registers tsx itself.
import {Worker, type WorkerOptions} from 'node:worker_threads';

export function spawnWorker(relativePath: string, options: WorkerOptions = {}): Worker {
  const fromTs = /\.tsx?$/.test(import.meta.url);
  const url = new URL(`${relativePath}${fromTs ? '.ts' : '.js'}`, import.meta.url);
  if (!fromTs) return new Worker(url, options);
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, {...options, eval: true});
}

/** This package's public entry as a file URL: scenario bundles import `brink` from it. */
export function selfEntryUrl(): string {
  const fromTs = /\.tsx?$/.test(import.meta.url);
  return new URL(`../index${fromTs ? '.ts' : '.js'}`, import.meta.url).href;
}
