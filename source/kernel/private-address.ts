// Which addresses a load test may own: loopback and private ranges. The command line asks before loading a
// host outside them (cli/target-guard.ts), and every worker refuses to send a request to one (worker/http/
// host-guard.ts) unless the run was given --yes: a redirect or an absolute URL in a task may lead elsewhere.
import {isIP} from 'node:net';

/** Loopback, RFC 1918, link-local, CGNAT and IPv6 unique-local addresses: places a test may own. */
export function isPrivateAddress(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a, b] = ip.split('.').map(Number);
    return (
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  const v6 = ip.toLowerCase();
  if (v6.startsWith('::ffff:')) return isPrivateAddress(v6.slice(7));
  return v6 === '::1' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe80:');
}
