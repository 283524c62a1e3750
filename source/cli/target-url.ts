// A target URL with `user:pass@` in it (quick mode's URL, --host, a scenario's host) asks for HTTP Basic auth, as
// curl and browsers take it: the credentials become an Authorization header and leave the URL, so the target that
// the live view, the summary and every report show has no password in it. The password and the header's token are
// known secrets besides: a target echoing them in an error page has them hidden (kernel/redact.ts).
import {knownSecret} from '../kernel/redact.js';

export interface TargetUrl {
  /** The URL without its userinfo (unchanged when it had none). */
  readonly url: string;
  /** `Basic <base64 of user:password>`, when the URL had a user or a password. */
  readonly authorization?: string;
}

export function splitUserinfo(text: string): TargetUrl {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return {url: text}; // not a URL: whoever reads it says so
  }
  if (u.username === '' && u.password === '') return {url: text};
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  const password = decode(u.password);
  const token = Buffer.from(`${decode(u.username)}:${password}`).toString('base64');
  knownSecret(password);
  knownSecret(token);
  // The URL as typed, less its userinfo (URL.href would add a slash to a bare origin).
  return {url: text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1'), authorization: `Basic ${token}`};
}

/** Headers with the URL's Basic auth added, unless they carry an Authorization of their own (-H wins). */
export function withAuthorization(headers: Readonly<Record<string, string>>, target: TargetUrl): Record<string, string> {
  if (!target.authorization || Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) return {...headers};
  return {...headers, authorization: target.authorization};
}
