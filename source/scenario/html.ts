// Pulling a form field out of an HTML page (CSRF tokens). node-html-parser is a small, fast, well-kept
// parser; a regex would break on attribute order, quoting and entities. It is loaded at the first use
// (~20 ms of every scenario's start-up, in the main thread and in each worker, for scripts that never call this).
import {createRequire} from 'node:module';

const require = createRequire(import.meta.url);
let parser: typeof import('node-html-parser') | undefined;

/** The value of the first `<input name=…>` (or `<meta name=…>`) with that name; undefined when absent. */
export function formField(html: string, name: string): string | undefined {
  parser ??= require('node-html-parser') as typeof import('node-html-parser');
  const root = parser.parse(html);
  for (const el of root.querySelectorAll('input, meta, textarea')) {
    if (el.getAttribute('name') !== name) continue;
    if (el.tagName === 'TEXTAREA') return el.text;
    return el.getAttribute(el.tagName === 'META' ? 'content' : 'value') ?? '';
  }
  return undefined;
}
