// What the shop remembers between requests: login sessions, profiles, carts, orders per user, CSV imports.
// Each map is bounded (the oldest entries go first), so a long run cannot grow the shop's memory without end.
// Resetting the stats leaves all of it in place.
import type {Profile} from '../pages.js';

export interface Session {
  readonly user: string;
}

export interface ImportJob {
  readonly id: string;
  readonly owner: string;
  readonly filename: string;
  readonly rows: number;
  readonly createdAt: number;
}

const MAX_SESSIONS = 200_000;
const MAX_CARTS = 100_000;
const MAX_IMPORTS = 20_000;

export class ShopState {
  nextOrderId = 10_001;
  /** By the `sessionid` cookie. */
  readonly sessions = new Map<string, Session>();
  readonly profiles = new Map<string, Profile>();
  /** Orders placed per user, for the dashboard. */
  readonly orderCounts = new Map<string, number>();
  /** Product id → quantity, per login session (a token's `sid`). */
  readonly carts = new Map<string, Map<number, number>>();
  readonly imports = new Map<string, ImportJob>();

  /** The session of a `sessionid` cookie, if it is still open. */
  session(cookies: Readonly<Record<string, string>>): Session | undefined {
    const id = cookies.sessionid;
    return id ? this.sessions.get(id) : undefined;
  }

  openSession(id: string, user: string): void {
    this.sessions.set(id, {user});
    evictOldest(this.sessions, MAX_SESSIONS);
  }

  /** The user's profile, made up from the user name until they save one. */
  profile(user: string): Profile {
    let p = this.profiles.get(user);
    if (!p) {
      p = {displayName: user.replace(/^user/, 'User '), email: `${user}@example.com`, timezone: 'UTC'};
      this.profiles.set(user, p);
    }
    return p;
  }

  /** The session's cart, made empty on first use. */
  cart(sid: string): Map<number, number> {
    let cart = this.carts.get(sid);
    if (!cart) {
      cart = new Map();
      this.carts.set(sid, cart);
      evictOldest(this.carts, MAX_CARTS);
    }
    return cart;
  }

  addImport(job: ImportJob): void {
    this.imports.set(job.id, job);
    evictOldest(this.imports, MAX_IMPORTS);
  }
}

function evictOldest<K, V>(map: Map<K, V>, max: number): void {
  while (map.size > max) map.delete(map.keys().next().value as K);
}
