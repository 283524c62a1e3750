// The target guard, in the workers: a request to a host that is neither loopback nor private is not sent unless
// the run was given --yes (or the user said yes at the command line's question). The command line checks the
// target before the run; this holds every request a worker makes to the same rule, redirects and absolute URLs
// in tasks included. An IP literal is checked before connecting; a name as it resolves, through the `lookup`
// hook of net.connect (the h1 client's and undici's connector's), so the address checked is the one connected to.
// A request held back fails with code BRINK_BLOCKED_HOST: its kind is `blocked_host`, and nothing was sent.
import {lookup as dnsLookup} from 'node:dns';
import {isIP, type LookupFunction} from 'node:net';
import {isPrivateAddress} from '../../kernel/private-address.js';
import {BLOCKED_HOST} from './classify.js';

type Lookup = typeof dnsLookup;
type Found = string | ReadonlyArray<{readonly address: string; readonly family: number}>;

/** The error of a request held back: it names the host (and the address it stands for) and --yes. */
export function blockedHostError(host: string, address?: string): Error {
  const where = address !== undefined && address !== host ? `${host} (${address})` : host;
  return Object.assign(
    new Error(`${where} is not a loopback or private address: the request was not sent (pass --yes to load hosts that are)`),
    {code: BLOCKED_HOST},
  );
}

export class HostGuard {
  /**
   * `allowed` decides which addresses may be loaded (loopback and private ones); `resolve` is the resolver
   * names go through. Both are replaceable so that tests can make "public" addresses out of loopback ones,
   * and never send a packet elsewhere.
   */
  constructor(
    private readonly allowed: (ip: string) => boolean = isPrivateAddress,
    private readonly resolve: Lookup = dnsLookup,
  ) {}

  /** The error for a host given as an IP address that may not be loaded; undefined for any other (names are checked by `lookup`). */
  literal(host: string): Error | undefined {
    const bare = host.charCodeAt(0) === 91 ? host.slice(1, -1) : host; // [::1]
    return isIP(bare) !== 0 && !this.allowed(bare) ? blockedHostError(bare) : undefined;
  }

  /** net.connect's `lookup`: resolves as dns.lookup does, and fails when any address found may not be loaded. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname, options, ((error: NodeJS.ErrnoException | null, found: Found, family?: number) => {
      if (error) return (callback as (e: NodeJS.ErrnoException) => void)(error);
      const list = typeof found === 'string' ? [{address: found}] : found;
      const refused = list.find((a) => !this.allowed(a.address));
      if (refused) return (callback as (e: NodeJS.ErrnoException) => void)(blockedHostError(hostname, refused.address));
      (callback as (e: null, found: Found, family?: number) => void)(null, found, family);
    }) as never);
  };
}
