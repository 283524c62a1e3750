// Server-sent event streams: a GET over a connection of its own (node:http, no pool: a stream holds its
// connection for as long as it lives, and must not take one the users' requests share), through the host guard,
// and eventsource-parser to read the events (the format's line endings, multi-line data, comments, BOM and ids
// have corner cases a well-tested parser already gets right). The parser is required on a scenario's first
// sse.connect(), so runs without event streams never load it.
import http, {type ClientRequest, type IncomingMessage} from 'node:http';
import https from 'node:https';
import {createRequire} from 'node:module';
import type {EventSourceMessage, EventSourceParser} from 'eventsource-parser';
import type {HostGuard} from './host-guard.js';

type ParserModule = typeof import('eventsource-parser');
let loaded: ParserModule | undefined;

/** A parser that calls `onEvent` for each event fed to it in chunks of text. */
export function eventParser(onEvent: (event: EventSourceMessage) => void): EventSourceParser {
  loaded ??= createRequire(import.meta.url)('eventsource-parser') as ParserModule;
  return loaded.createParser({onEvent});
}

export interface SseSettings {
  readonly headers: Record<string, string>;
  /** For the response head. */
  readonly timeoutMs: number;
  readonly insecure: boolean;
  readonly guard: HostGuard | undefined;
}

export interface OpenedStream {
  readonly request: ClientRequest;
  readonly response: IncomingMessage;
}

/** Sends the stream's GET and resolves with the response head (any status); rejects when none comes. */
export function openEventStream(url: URL, settings: SseSettings): Promise<OpenedStream> {
  const blocked = settings.guard?.literal(url.hostname);
  if (blocked) return Promise.reject(blocked);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, {
      method: 'GET',
      headers: {accept: 'text/event-stream', 'cache-control': 'no-cache', ...settings.headers},
      agent: false,
      rejectUnauthorized: !settings.insecure,
      ...(settings.guard ? {lookup: settings.guard.lookup} : {}),
    });
    const timer = setTimeout(() => {
      request.destroy(Object.assign(new Error(`no response within ${settings.timeoutMs} ms`), {name: 'TimeoutError'}));
    }, settings.timeoutMs);
    request.once('response', (response) => {
      clearTimeout(timer);
      resolve({request, response});
    });
    request.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end();
  });
}
