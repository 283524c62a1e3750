// An event stream as a scenario holds it. Events are timed as they arrive, whether or not the script reads them:
// the first one's time from the request is the stream's sample under its name (`SSE /events`), each later one's
// gap since the one before is a sample under `<name> (gap)`. Failures all go on the stream's own row: a timeout
// is a failed sample there, the server ending the stream a failure of the stream (one a stream at most).
import {performance} from 'node:perf_hooks';
import type {ClientRequest, IncomingMessage} from 'node:http';
import type {EventSourceMessage} from 'eventsource-parser';
import type {NextOptions, SseEvent, SseStream} from '../../scenario/types.js';
import type {EndpointStats} from '../recorder.js';
import {eventParser} from '../http/sse-client.js';
import {Inbox} from './inbox.js';
import {counted, nextWaitMs, scriptMistake, type SocketOwner} from './socket-owner.js';
import {UserStopped} from './session.js';

class Event implements SseEvent {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;

  constructor(e: EventSourceMessage) {
    this.event = e.event ?? 'message';
    this.data = e.data;
    this.id = e.id;
  }

  json<T = any>(): T {
    try {
      return JSON.parse(this.data) as T;
    } catch {
      throw new Error(`event data is not JSON: ${JSON.stringify(this.data.slice(0, 80))}`);
    }
  }
}

export class BrinkEventStream implements SseStream {
  private readonly inbox = new Inbox<Event>();
  /** performance.now() of the last event; undefined before the first. */
  private lastEventAt: number | undefined;
  /** The stream has its sample on its row: its first event, or a failure before one. */
  private sampled = false;
  private ended: {readonly byScript: boolean; readonly error: Error} | undefined;
  private warnedUnread = false;

  constructor(
    private readonly request: ClientRequest,
    private readonly response: IncomingMessage,
    /** `SSE name`: what errors call it. */
    private readonly key: string,
    private readonly stream: EndpointStats,
    private readonly gaps: EndpointStats,
    /** performance.now() when the request went out. */
    private readonly sentAt: number,
    /** performance.now() when the response head came. */
    private readonly headAt: number,
    private readonly owner: SocketOwner,
  ) {
    const parser = eventParser(this.arrived);
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.stream.bytes += Buffer.byteLength(chunk);
      parser.feed(chunk);
    });
    response.once('end', () => this.lost('the server ended the stream'));
    response.once('error', (error) => this.lost(`the connection failed (${error.message})`));
    request.on('error', (error) => this.lost(`the connection failed (${error.message})`));
    response.once('close', () => this.lost('the connection closed'));
  }

  get open(): boolean {
    return this.ended === undefined;
  }

  next(options?: NextOptions): Promise<SseEvent> {
    if (this.ended?.byScript) return Promise.reject(this.endedError());
    const unread = this.inbox.shift();
    if (unread) return Promise.resolve(unread);
    if (this.ended) return Promise.reject(this.endedError());
    let ms: number;
    try {
      ms = nextWaitMs(this.key, this.inbox.waiting, options, this.owner.timeoutMs);
    } catch (error) {
      return Promise.reject(error);
    }
    // A stopping user waits for a stream's first event (its answer, as a request in flight gets its own), and starts
    // no other wait; one in progress finishes.
    if (this.owner.stopping && this.sampled) return Promise.reject(new UserStopped('user stopped'));
    const calledAt = performance.now();
    return this.inbox.wait(ms, () => {
      // The wait is the failed sample: before the first event, it stands for the stream's time to it.
      this.stream.record(
        (performance.now() - (this.sampled ? calledAt : this.sentAt)) * 1000,
        0,
        'sse_timeout',
        `no event within ${ms / 1000} s`,
      );
      this.sampled = true;
      return counted(`${this.key}: no event within ${ms / 1000} s (sse_timeout)`);
    });
  }

  close(): void {
    if (this.ended) return;
    this.end(true, scriptMistake(`${this.key} was closed by the script`));
  }

  /** The user ended (or its worker stops). */
  shut(): void {
    if (this.ended) return;
    this.end(true, new UserStopped('user stopped'));
  }

  private readonly arrived = (e: EventSourceMessage): void => {
    const at = performance.now();
    if (this.lastEventAt !== undefined) this.gaps.record((at - this.lastEventAt) * 1000, 0);
    else if (!this.sampled) {
      this.sampled = true;
      this.stream.record((at - this.sentAt) * 1000, this.response.statusCode ?? 0);
    }
    this.lastEventAt = at;
    if (this.ended) return;
    if (!this.inbox.push(new Event(e)) && !this.warnedUnread) {
      this.warnedUnread = true;
      this.owner.warn(`${this.key}: events arrive faster than the scenario reads them (next()): the oldest unread are dropped`);
    }
  };

  /** The stream ended without the script closing it: the server's doing, once a stream. */
  private lost(why: string): void {
    if (this.ended) return;
    const message = `${why} (sse_closed)`;
    // Before its first event, the close is the stream's sample; after, a failure of the stream it already sampled.
    if (this.sampled) this.stream.fail('sse_closed', why);
    else this.stream.record((performance.now() - this.sentAt) * 1000, this.response.statusCode ?? 0, 'sse_closed', why);
    this.sampled = true;
    this.end(false, counted(`${this.key}: ${message}`));
  }

  private end(byScript: boolean, error: Error): void {
    // Closed (by the script, or the user ending) before its first event: the server still answered the request,
    // which is counted, timed to its response head as it has no first event to be timed to.
    if (byScript && !this.sampled) {
      this.sampled = true;
      this.stream.record((this.headAt - this.sentAt) * 1000, this.response.statusCode ?? 0);
    }
    this.ended = {byScript, error};
    if (byScript) this.inbox.clear();
    this.request.destroy();
    this.inbox.fail(error);
    this.owner.forget(this);
  }

  private endedError(): Error {
    const {byScript, error} = this.ended!;
    if (error instanceof UserStopped) return new UserStopped('user stopped');
    return byScript ? scriptMistake(`next() on ${this.key}, which the script closed`) : counted(error.message);
  }
}
