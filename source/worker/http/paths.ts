// Scenario paths as strings: which need no parsing (most are like `/items/42`, and parsing a URL a request costs
// more than the rest of the request's path through brink), and a path without its query.

/** A path that means what it says: no dot segments, nothing to percent-encode. Others go through URL. */
export const PLAIN_PATH = /^\/(?:[A-Za-z0-9\-_~!$&'()*+,;=:@/?]|\.(?![./?]|$)|%[0-9A-Fa-f]{2})*$/;
/** The characters PLAIN_PATH takes as they are, by code: most paths have no others, and a table scan is cheaper. */
const PLAIN_CHAR = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~!$&'()*+,;=:@/?") PLAIN_CHAR[c.charCodeAt(0)] = 1;

/** Whether `path` can be sent as it is, without going through URL (see PLAIN_PATH). */
export function plainPath(path: string): boolean {
  if (path.charCodeAt(0) !== 47) return false; // '/'
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c >= 128 || PLAIN_CHAR[c] === 0) return PLAIN_PATH.test(path); // a dot or a percent: the whole rule decides
  }
  return true;
}

/** The path of a path with its query: an endpoint's default name, and what cookies match. */
export function pathOnly(path: string): string {
  const q = path.indexOf('?');
  return q < 0 ? path : path.slice(0, q);
}

/** Where a request goes, kept as strings: parsing a URL a request costs more than the rest of its path. */
export interface Target {
  readonly origin: string;
  /** The path with its query. */
  readonly path: string;
}
