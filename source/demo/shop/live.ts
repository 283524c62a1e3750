// The shop's live side, kept light: WebSockets and a feed of server-sent events. `/ws/chat` is the support chat (a
// signed-in customer writes, the support bot answers each message after a short service time); `/ws/echo` sends back
// each message as it came, to anyone (a first WebSocket scenario needs no login); `/events` is the shop's activity
// as server-sent events (a snapshot at once, then an order or stock event every 250 ms). None takes a handler of
// the pool: a socket would hold one for as long as it lives. Counted under the names brink's scenarios give them:
// `WS /ws/chat (connect)` a handshake, `WS /ws/chat` a message answered, `SSE /events` a stream, `SSE /events (gap)`
// each event after a stream's first (not a request: brink's totals leave gaps out, and so does the shop's).
import type http from 'node:http';
import type {Duplex} from 'node:stream';
import {WebSocketServer, type WebSocket} from 'ws';
import type {ShopParts} from './parts.js';

/** Time between two events of the feed, before the shop's service scale. */
const FEED_EVERY_MS = 250;
/** The support bot's service time for one answer, ms (min, max), before scale and jitter. */
const BOT_COST: readonly [number, number] = [5, 25];
const MAX_MESSAGE_BYTES = 64 * 1024;

export const CHAT = '/ws/chat';
export const ECHO = '/ws/echo';
export const FEED = '/events';

const REASONS: Readonly<Record<number, string>> = {401: 'Unauthorized', 404: 'Not Found', 503: 'Service Unavailable'};

export class Live {
  private readonly wss = new WebSocketServer({noServer: true, maxPayload: MAX_MESSAGE_BYTES});
  private readonly feeds = new Set<http.ServerResponse>();
  private disposed = false;

  constructor(private readonly shop: ShopParts) {}

  /** An HTTP upgrade: the echo for anyone, the chat for a customer with a valid access token, 401 or 404 otherwise. */
  readonly onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(req.url ?? '/', 'http://shop.invalid').pathname;
    const known = path === CHAT || path === ECHO;
    const name = `WS ${known ? path : '(unmatched)'} (connect)`;
    const {counters, tokens} = this.shop;
    counters.counted(name);
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const allowed = path === ECHO || (token !== undefined && tokens.verify(token, 'access').ok);
    const status = this.disposed ? 503 : !known ? 404 : allowed ? 101 : 401;
    counters.answered(name, status);
    socket.on('error', () => {});
    if (status !== 101) {
      socket.end(`HTTP/1.1 ${status} ${REASONS[status]}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => (path === CHAT ? this.chat(ws) : this.echo(ws)));
  };

  /** `GET /events`: true when it is the feed's (and it is answered here). */
  feed(path: string, res: http.ServerResponse): boolean {
    if (path !== FEED) return false;
    const {counters, settings} = this.shop;
    counters.counted(`SSE ${FEED}`);
    counters.answered(`SSE ${FEED}`, 200);
    res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache'});
    let n = 0;
    res.write(
      `retry: 2000\nid: ${n}\nevent: snapshot\ndata: ${JSON.stringify({orders: this.shop.counters.now.ordersCreated, at: Date.now()})}\n\n`,
    );
    const timer = setInterval(
      () => {
        n++;
        counters.counted(`SSE ${FEED} (gap)`, false);
        const event = n % 3 === 0 ? 'stock' : 'order';
        const data = event === 'stock' ? {product_id: 1 + (n % settings.products), left: 10 + (n % 7)} : {order: n, total_cents: 1000 + n};
        res.write(`id: ${n}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      },
      Math.max(10, FEED_EVERY_MS * settings.serviceScale),
    );
    this.feeds.add(res);
    res.once('close', () => {
      clearInterval(timer);
      this.feeds.delete(res);
    });
    return true;
  }

  /** Ends every socket and feed: the shop is closing. */
  dispose(): void {
    this.disposed = true;
    for (const ws of this.wss.clients) ws.terminate();
    for (const res of this.feeds) res.destroy();
    this.wss.close();
  }

  /** One customer's chat: each message gets the bot's answer, in order. */
  private chat(ws: WebSocket): void {
    let answering = Promise.resolve();
    ws.on('error', () => {});
    ws.on('message', (data, binary) => {
      this.shop.counters.counted(`WS ${CHAT}`);
      answering = answering.then(async () => {
        await this.shop.work(BOT_COST).catch(() => {});
        if (ws.readyState !== ws.OPEN) return;
        this.shop.counters.answered(`WS ${CHAT}`, 200);
        const text = binary ? `(${(data as Buffer).length} bytes)` : data.toString();
        ws.send(JSON.stringify({from: 'support-bot', text: `Thanks! You said: ${text.slice(0, 200)}`, at: Date.now()}));
      });
    });
  }

  /** The echo: each message back as it came (text as text, bytes as bytes), counted as it is sent back. */
  private echo(ws: WebSocket): void {
    ws.on('error', () => {});
    ws.on('message', (data, binary) => {
      this.shop.counters.counted(`WS ${ECHO}`);
      this.shop.counters.answered(`WS ${ECHO}`, 200);
      ws.send(data, {binary});
    });
  }
}
