// The route table: method + path pattern → handler and service cost. A route's name (`GET /products/:id`) is
// what the shop counts requests under, so it matches the endpoint names brink's scenarios use.
import type http from 'node:http';
import type {Cost} from './capacity/service-time.js';
import type {Reply} from './reply.js';

/** What a handler gets: the request, its URL, the `:param` values in path order, the body and the cookies. */
export interface Ctx {
  readonly req: http.IncomingMessage;
  readonly url: URL;
  readonly params: ReadonlyArray<string>;
  readonly body: Buffer;
  readonly cookies: Readonly<Record<string, string>>;
}

export type Handle = (ctx: Ctx) => Reply | Promise<Reply>;

export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly name: string;
  /** Service time in ms before scaling and jitter. */
  readonly cost: Cost;
  /** Served without a handler (static files a proxy would serve). */
  readonly bypass?: boolean;
  readonly handle: Handle;
}

export interface Match {
  /** Undefined when no route has this method and path. */
  readonly route: Route | undefined;
  readonly params: string[];
  /** The route's name, or `GET (unmatched)`: every request is counted under some name. */
  readonly name: string;
}

/** The path routes match: trailing slashes do not count (`/products/` is `/products`). */
export function routePath(url: URL): string {
  return url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
}

export class Router {
  private readonly routes: Route[] = [];

  /** Adds a route; each `:name` in the path matches one segment. Routes are tried in the order added. */
  add(method: string, path: string, cost: Cost, handle: Handle, extra: Pick<Route, 'bypass'> = {}): void {
    const pattern = new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[a-z_]+/g, '([^/]+)')}$`);
    this.routes.push({method, pattern, name: `${method} ${path}`, cost, handle, ...extra});
  }

  match(method: string, path: string): Match {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      // A malformed escape (`/products/%E0`) stays as sent: decoding threw, and the request went unanswered.
      if (m) return {route, params: m.slice(1).map(decodeParam), name: route.name};
    }
    return {route: undefined, params: [], name: `${method} (unmatched)`};
  }
}

function decodeParam(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
