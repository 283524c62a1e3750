// A WebSocket as a scenario holds it. Each send() waits for an answer: the first message to arrive after it, whose
// round trip is recorded as it arrives (whether or not the script reads it), under the socket's name. The script
// reads messages in order with next(). Its own close() is never a failure; the server closing it is (`ws_closed`,
// on the socket's `(connect)` row, where each socket has its one handshake sample).
import {performance} from 'node:perf_hooks';
import type WebSocket from 'ws';
import type {NextOptions, WsMessage, WsSocket} from '../../scenario/types.js';
import type {EndpointStats} from '../recorder.js';
import {Inbox} from './inbox.js';
import {counted, nextWaitMs, scriptMistake, type SocketOwner} from './socket-owner.js';
import {UserStopped} from './session.js';

/** Sends awaiting their answer, kept a socket: a script that sends without ever reading keeps the latest. */
const MAX_UNANSWERED = 1000;
/** A socket whose closing handshake the server does not answer within this is cut. */
const CLOSE_GRACE_MS = 2000;

class Message implements WsMessage {
  constructor(
    readonly data: string | Uint8Array,
    readonly binary: boolean,
    readonly elapsedMs: number | undefined,
  ) {}

  text(): string {
    return typeof this.data === 'string' ? this.data : Buffer.from(this.data).toString('utf8');
  }

  json<T = any>(): T {
    try {
      return JSON.parse(this.text()) as T;
    } catch {
      throw new Error(`WebSocket message is not JSON: ${JSON.stringify(this.text().slice(0, 80))}`);
    }
  }
}

export class BrinkWebSocket implements WsSocket {
  private readonly inbox = new Inbox<Message>();
  /** performance.now() of each send not answered yet, oldest first. */
  private sends: number[] = [];
  /** Why the socket is no longer open (undefined while it is), as next() and send() report it. */
  private ended: {readonly byScript: boolean; readonly error: Error} | undefined;
  private lastError: Error | undefined;
  private warnedUnread = false;

  constructor(
    private readonly socket: WebSocket,
    /** `WS name`: what errors call it. */
    private readonly key: string,
    private readonly roundTrips: EndpointStats,
    private readonly connects: EndpointStats,
    private readonly owner: SocketOwner,
  ) {
    socket.on('message', this.received);
    socket.on('error', (error) => (this.lastError = error));
    socket.once('close', this.closed);
  }

  get open(): boolean {
    return this.ended === undefined;
  }

  get protocol(): string {
    return this.socket.protocol;
  }

  send(data: string | Uint8Array | ArrayBuffer): void {
    if (this.ended) throw this.endedError('send()');
    if (this.owner.stopping) throw new UserStopped('user stopped');
    if (typeof data !== 'string' && !(data instanceof Uint8Array) && !(data instanceof ArrayBuffer))
      throw new TypeError(`${this.key}: send() takes a string or bytes (Uint8Array, Buffer, ArrayBuffer), not ${typeof data}`);
    this.sends.push(performance.now());
    if (this.sends.length > MAX_UNANSWERED) this.sends.shift();
    // A send that fails (the socket closing under it) ends in the 'close' event, which says why.
    this.socket.send(data, noop);
  }

  next(options?: NextOptions): Promise<WsMessage> {
    const unread = this.inbox.shift();
    if (unread) return Promise.resolve(unread);
    if (this.ended) return Promise.reject(this.endedError('next()'));
    let ms: number;
    try {
      ms = nextWaitMs(this.key, this.inbox.waiting, options, this.owner.timeoutMs);
    } catch (error) {
      return Promise.reject(error);
    }
    // A stopping user finishes the round trip it is in (its answer is counted), and starts no other wait.
    if (this.owner.stopping && this.sends.length === 0) return Promise.reject(new UserStopped('user stopped'));
    const calledAt = performance.now();
    return this.inbox.wait(ms, () => {
      // The round trip in progress (or the wait itself, when none is) failed: one sample, at its time so far.
      const now = performance.now();
      const from = this.sends.shift() ?? calledAt;
      this.roundTrips.record((now - from) * 1000, 0, 'ws_timeout', `no message within ${ms / 1000} s`);
      return counted(`${this.key}: no message within ${ms / 1000} s (ws_timeout)`);
    });
  }

  close(code = 1000, reason?: string): void {
    if (this.ended) return;
    this.socket.close(code, reason); // throws for a code a script may not send (not 1000, nor 3000–4999): the script's mistake
    this.end(true, scriptMistake(`${this.key} was closed by the script`));
    const timer = setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS);
    this.socket.once('close', () => clearTimeout(timer));
  }

  /** The user ended (or its worker stops): closed as a browser tab leaving would (1001 going away). */
  shut(): void {
    if (this.ended) return;
    this.socket.close(1001);
    this.end(true, new UserStopped('user stopped'));
    const timer = setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS);
    this.socket.once('close', () => clearTimeout(timer));
  }

  private readonly received = (data: WebSocket.RawData, binary: boolean): void => {
    const at = performance.now();
    const sentAt = this.sends.shift();
    let elapsedMs: number | undefined;
    if (sentAt !== undefined) {
      elapsedMs = at - sentAt;
      this.roundTrips.record(elapsedMs * 1000, 0);
    }
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    this.roundTrips.bytes += bytes.length;
    if (this.ended) return; // read by no one
    const kept = this.inbox.push(new Message(binary ? bytes : bytes.toString('utf8'), binary, elapsedMs));
    if (!kept && !this.warnedUnread) {
      this.warnedUnread = true;
      this.owner.warn(`${this.key}: messages arrive faster than the scenario reads them (next()): the oldest unread are dropped`);
    }
  };

  private readonly closed = (code: number, reason: Buffer): void => {
    if (this.ended) return;
    const why = `code ${code}${reason.length > 0 ? ` ${reason.toString('utf8').slice(0, 100)}` : ''}${
      this.lastError ? ` (${this.lastError.message})` : ''
    }`;
    this.connects.fail('ws_closed', `closed by the server: ${why}`);
    this.end(false, counted(`${this.key} was closed by the server: ${why} (ws_closed)`));
  };

  private end(byScript: boolean, error: Error): void {
    this.ended = {byScript, error};
    this.sends = [];
    // What arrived before the server closed can still be read; after the script's own close, nothing can.
    if (byScript) this.inbox.clear();
    this.inbox.fail(error);
    this.owner.forget(this);
  }

  private endedError(call: string): Error {
    const {byScript, error} = this.ended!;
    if (error instanceof UserStopped) return new UserStopped('user stopped');
    // Made here, so that its stack names the script's line that called.
    return byScript ? scriptMistake(`${call} on ${this.key}, which the script closed`) : counted(error.message);
  }
}

function noop(): void {}
