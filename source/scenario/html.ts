// Pulling a form field out of an HTML page (CSRF tokens). node-html-parser is a small, fast, well-kept
// parser; a regex would break on attribute order, quoting and entities.
import {createRequire} from 'node:module';

type Parse = typeof import('node-html-parser').parse;
let parse: Parse | undefined;

/**
 * Loads the parser: scenario workers do before their first request (~15 ms, too long a stall mid-run),
 * while the main thread, which imports a scenario only to read its shape, never parses and never pays.
 */
export function loadHtmlParser(): Parse {
  parse ??= (createRequire(import.meta.url)('node-html-parser') as typeof import('node-html-parser')).parse;
  return parse;
}

/** The value of the first `<input name=…>` (or `<meta name=…>`) with that name; undefined when absent. */
export function formField(html: string, name: string): string | undefined {
  const root = loadHtmlParser()(html);
  for (const el of root.querySelectorAll('input, meta, textarea')) {
    if (el.getAttribute('name') !== name) continue;
    if (el.tagName === 'TEXTAREA') return el.text;
    return el.getAttribute(el.tagName === 'META' ? 'content' : 'value') ?? '';
  }
  return undefined;
}
