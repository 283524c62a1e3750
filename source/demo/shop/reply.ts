// What a route answers (status, headers, body) and how it goes on the wire. Counting the answer is the
// caller's job (counters.ts), so a reply written for a shed or timed-out request is counted the same way.
import type http from 'node:http';
import * as pages from '../pages.js';

export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string | string[]>;
  readonly body?: string | Buffer;
}

export function html(status: number, body: string, headers: Record<string, string | string[]> = {}): Reply {
  return {status, headers: {'content-type': 'text/html; charset=utf-8', ...headers}, body};
}

export function json(status: number, value: unknown, headers: Record<string, string | string[]> = {}): Reply {
  return {status, headers: {'content-type': 'application/json', ...headers}, body: JSON.stringify(value)};
}

export function redirect(location: string, cookies?: string[]): Reply {
  return {status: 302, headers: cookies ? {location, 'set-cookie': cookies} : {location}};
}

/** JSON for API-looking paths, an HTML page for the rest. */
export function notFound(path: string): Reply {
  return path.startsWith('/api/') || path.startsWith('/user/')
    ? json(404, {error: 'not_found', detail: `no route for ${path}`})
    : html(404, pages.messagePage('Not found', `There is nothing at ${path}.`));
}

export function badJson(): Reply {
  return json(400, {error: 'invalid_json', detail: 'the body must be a JSON object'});
}

/** Writes the reply unless the client is already gone; a body without a content type is plain text. */
export function writeReply(res: http.ServerResponse, reply: Reply): void {
  if (res.destroyed || res.writableEnded) return;
  const body = reply.body ?? '';
  const headers: Record<string, string | string[] | number> = {...reply.headers, 'content-length': Buffer.byteLength(body)};
  if (reply.body !== undefined && !reply.headers?.['content-type']) headers['content-type'] = 'text/plain; charset=utf-8';
  res.writeHead(reply.status, headers);
  res.end(body);
}
