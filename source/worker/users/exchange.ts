// One scenario request on its way, across its redirects: where its current hop goes, what it carries, its
// clock, and how its promise settles. One object a request, because this is scenario mode's hot path: it is
// also the headers' parts (session-headers.ts), the h1 pool's receiver and the response's target, where each
// used to be an object (or a closure) of its own.
import type {RequestOptions} from '../../scenario/types.js';
import type {H1Receiver, LeanResponse} from '../http/h1-pool.js';
import type {Target} from '../http/paths.js';
import type {Body} from '../http/request-body.js';
import type {EndpointStats} from '../recorder.js';
import type {BrinkResponse} from './response.js';
import type {RequestParts} from './session-headers.js';

/** What an exchange hands its h1 response to: its session. */
export interface ExchangeOwner {
  h1Received(exchange: Exchange, response: LeanResponse): void;
}

export class Exchange implements Target, RequestParts, H1Receiver {
  /** The current hop's headers beyond the defaults: the jar's Cookie header, and what a cross-origin hop leaves out. */
  cookie = '';
  strip: ReadonlySet<string> | undefined = undefined;
  /** Redirects followed so far. */
  hop = 0;
  /** performance.now() ms when it went out (or was due). */
  started = 0;
  /** performance.now() ms when its first hop went out. */
  sentAt = 0;
  /** Time its hops spent opening connections on the h1 client: counted apart, not in its latency (connect-times.ts). */
  connectMs = 0;
  /** Open model: it was due before it went out; its latency from `sentAt` is kept too (uncorrected). */
  open = false;
  /** Whether a redirect left the first hop's origin: from then on its credentials stay behind (redirects.ts). */
  crossed = false;
  /** Where the script called for it, kept while looking for an un-awaited request (Session.trace). */
  site: Error | undefined = undefined;
  /** Settles the promise the script awaits: set as the promise is made (see `promised`). */
  resolve: (response: BrinkResponse) => void = noResolve;
  /** The first hop's origin. */
  readonly firstOrigin: string;

  constructor(
    readonly owner: ExchangeOwner,
    readonly stats: EndpointStats,
    readonly options: RequestOptions,
    readonly timeoutMs: number,
    /** The current hop: where it goes (`path` with its query), how, and with what body. */
    public origin: string,
    public path: string,
    public method: string,
    public body: Body,
    public contentType: string | undefined,
  ) {
    this.firstOrigin = origin;
  }

  /** The request's own headers (RequestParts). */
  get extra(): RequestOptions['headers'] {
    return this.options.headers;
  }

  /** The h1 pool's answer to the current hop. */
  h1Done(response: LeanResponse): void {
    this.connectMs += response.connectMs;
    this.owner.h1Received(this, response);
  }
}

function noResolve(): void {}

let making: Exchange | undefined;
/** The executor of every exchange's promise: one function for all, so that a promise costs no closure of its own. */
function hold(resolve: (response: BrinkResponse) => void): void {
  making!.resolve = resolve;
  making = undefined;
}

/** The promise the script awaits for `exchange`; `exchange.resolve` settles it. */
export function promised(exchange: Exchange): Promise<BrinkResponse> {
  making = exchange;
  return new Promise(hold);
}
