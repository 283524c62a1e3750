// --http2: an origin's undici clients, watched (h2-watch.ts), sending again what the server never processed: a
// refused stream, or a stream above a GOAWAY's last stream id (nginx closes a connection so after
// `keepalive_requests`, 1000 by default). Browsers do the same; it is safe whatever the method, as the
// server promised it did not act on it. Each is counted as a retry, never as a failure, and the request keeps
// its first attempt's start: its latency includes the retry, as a browser's user would wait for it.
//
// Not undici's Pool: it opens a connection for every request that finds the others still connecting, so
// 40 users starting at once made 40 connections. Here a client takes requests until it carries as many as its
// pipelining allows (H2_STREAMS over h2, set as its connection comes up; 1 over HTTP/1.1), connecting or not,
// and only then does another open: a few connections carry all the users, as in a browser.
import type {Client, Dispatcher} from 'undici';
import {ATTEMPT, Attempt, type H2Watch} from './h2-watch.js';

/** What brink sends a request through: undici's Pool, or the watched clients below. */
export interface Requester {
  request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
}

/** Times one request is sent again at most: a server that refuses every stream must still end it. */
const MAX_RETRIES = 5;

interface Watched {
  readonly client: Client;
  readonly composed: Dispatcher;
  /** Its connection got a GOAWAY: a request it has not written yet is sent elsewhere (h2-watch.ts). */
  goingAway: boolean;
}

export class H2Dispatcher implements Requester {
  private readonly clients: Watched[] = [];
  /** Clients retired after a GOAWAY whose last streams are still being answered. */
  private readonly retired = new Set<Client>();

  /** Whether any request to the origin got an answer: until one has, a protocol error over h2c gets a hint. */
  private answered = false;

  /**
   * `make`: a new client for the origin (pools.ts); `maxClients`: connections to it at most; `h2c`: the origin
   * is http://, spoken to by prior knowledge.
   */
  constructor(
    private readonly make: () => Client,
    private readonly watch: H2Watch,
    private readonly maxClients: number,
    private readonly h2c = false,
  ) {}

  async request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
    for (let retries = 0; ; retries++) {
      const attempt = new Attempt();
      const carrier = this.pick();
      attempt.carrier = carrier;
      try {
        // idempotent: undici holds a non-idempotent request (a POST) until nothing else runs on its connection,
        // and everything queued behind it: 20 users posting at once made 19 req/s against a 50 ms server. That
        // guards HTTP/1.1 pipelining, where a lost connection takes the requests behind with it; over h2 each
        // stream stands alone, browsers multiplex POSTs, and a fallback to HTTP/1.1 carries one at a time.
        const sent = {...options, idempotent: true, [ATTEMPT]: attempt} as Dispatcher.RequestOptions;
        const response = await carrier.composed.request(sent);
        this.answered = true;
        return response;
      } catch (error) {
        if (this.h2c && !this.answered) h2cHint(error);
        if (retries >= MAX_RETRIES || (options.signal as AbortSignal | undefined)?.aborted || !this.watch.unprocessed(attempt, error)) {
          throw error;
        }
        this.watch.retries++;
      }
    }
  }

  /** The first client with room for one more request; a new one when none has; the least busy at the cap. */
  private pick(): Watched {
    let least: Watched | undefined;
    let leastSize = Infinity;
    for (const w of this.clients) {
      const {size} = w.client.stats;
      if (size < w.client.pipelining) return w;
      if (size < leastSize) {
        least = w;
        leastSize = size;
      }
    }
    if (least && this.clients.length >= this.maxClients) return least;
    const client = this.make();
    const made = {client, composed: client.compose(this.watch.interceptor), goingAway: false};
    this.clients.push(made);
    return made;
  }

  /**
   * The client's connection got a GOAWAY (h2-watch.ts): no new request goes to it; it is closed once the
   * streams the server took are answered, and forgotten (a new client opens when one is needed).
   */
  retire(client: Client): void {
    const index = this.clients.findIndex((w) => w.client === client);
    if (index === -1) return;
    this.clients[index].goingAway = true;
    this.clients.splice(index, 1);
    this.retired.add(client);
    client
      .close()
      .catch(() => {})
      .finally(() => this.retired.delete(client));
  }

  async destroy(): Promise<void> {
    const all = [...this.clients.splice(0).map((w) => w.client), ...this.retired];
    this.retired.clear();
    await Promise.all(all.map((client) => client.destroy().catch(() => {})));
  }
}

/**
 * An http:// server that speaks only HTTP/1.1 answers h2's connection preface with an HTTP/1.1 error, which
 * Node reports as a bare "Protocol error": the message says what it most likely means and what to do.
 */
function h2cHint(error: unknown): void {
  const e = error as {code?: unknown; message?: unknown} | undefined;
  if (e?.code !== 'ERR_HTTP2_ERROR' || typeof e.message !== 'string' || e.message.includes('h2c')) return;
  try {
    (e as {message: string}).message +=
      ' (h2c: this http:// server does not seem to speak HTTP/2 without TLS; drop --http2 or use https://)';
  } catch {
    // A frozen error keeps its own words.
  }
}
