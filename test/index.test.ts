// The main thread imports a scenario only to read its shape; the packages that serve requests (the HTML
// parser, undici, tough-cookie) are a worker's, and loading them there too cost start-up CPU for nothing.
// A child process imports the built public API and reports every package it loaded, either way: through
// the ESM loader (a resolve hook sees each import) and through require (the CommonJS cache).
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';

const INDEX = new URL('../dist/index.js', import.meta.url).href;

const HOOK = `let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) { const r = await next(specifier, context); port.postMessage(r.url); return r; }`;

const CHILD = `
import {register, createRequire} from 'node:module';
import {MessageChannel} from 'node:worker_threads';
const {port1, port2} = new MessageChannel();
const imported = [];
port1.on('message', (url) => imported.push(url));
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}), {data: {port: port2}, transferList: [port2]});
const api = await import(${JSON.stringify(INDEX)});
const loaded = () => {
  const required = Object.keys(createRequire(import.meta.url).cache);
  return [...imported, ...required].map((p) => p.match(/node_modules\\/((@[^/]+\\/)?[^/]+)/)?.[1]).filter(Boolean);
};
const before = [...new Set(loaded())];
const field = api.formField('<input name="csrf" value="t0k">', 'csrf');
await new Promise((r) => setTimeout(r, 50)); // the hook's last messages
console.log(JSON.stringify({before, after: [...new Set(loaded())], field}));
port1.close();
`;

describe('what reading a scenario loads', () => {
  it('the public API loads no request-serving package until a script needs one', async () => {
    const {stdout} = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CHILD], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    const {before, after, field} = JSON.parse(stdout) as {before: string[]; after: string[]; field: string};
    for (const heavy of ['node-html-parser', 'undici', 'tough-cookie', 'esbuild']) expect(before).not.toContain(heavy);
    // The parser comes in when formField is first called, and is seen: the check above could have failed.
    expect(field).toBe('t0k');
    expect(after).toContain('node-html-parser');
  });
});
