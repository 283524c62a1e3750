// Pulling a form field out of an HTML page (CSRF tokens). node-html-parser is a small, fast, well-kept
// parser; a regex would break on attribute order, quoting and entities.
import {parse} from 'node-html-parser';

/** The value of the first `<input name=…>` (or `<meta name=…>`) with that name; undefined when absent. */
export function formField(html: string, name: string): string | undefined {
  const root = parse(html);
  for (const el of root.querySelectorAll('input, meta, textarea')) {
    if (el.getAttribute('name') !== name) continue;
    if (el.tagName === 'TEXTAREA') return el.text;
    return el.getAttribute(el.tagName === 'META' ? 'content' : 'value') ?? '';
  }
  return undefined;
}
