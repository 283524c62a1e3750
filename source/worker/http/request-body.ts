// What a scenario request carries besides headers: its query string and its body, encoded from the
// options the script gave; and the response body, read up to a limit.
import type {FormData} from 'undici';
import type {FilePart, MultipartValue, RequestOptions} from '../../scenario/types.js';
import {undici} from './undici.js';

export type Body = string | Uint8Array | FormData | undefined;

export interface EncodedBody {
  readonly body?: Body;
  readonly contentType?: string;
}

const NO_BODY: EncodedBody = Object.freeze({});

export function encodeBody(options: RequestOptions): EncodedBody {
  if (options.json !== undefined) return {body: JSON.stringify(options.json), contentType: 'application/json'};
  if (options.form) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(options.form)) params.append(k, String(v));
    return {body: params.toString(), contentType: 'application/x-www-form-urlencoded'};
  }
  if (options.multipart) {
    const form = new (undici().FormData)();
    for (const [k, v] of Object.entries(options.multipart)) {
      for (const one of (Array.isArray(v) ? v : [v]) as MultipartValue[]) {
        if (typeof one === 'object') {
          const file = one as FilePart;
          form.append(k, new Blob([file.data as BlobPart], {type: file.contentType ?? 'application/octet-stream'}), file.filename);
        } else form.append(k, String(one));
      }
    }
    return {body: form}; // undici sets the multipart content type with its boundary
  }
  if (options.body !== undefined) return {body: options.body};
  return NO_BODY;
}

export function appendQuery(url: URL, query: NonNullable<RequestOptions['query']>): void {
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v)) for (const one of v) url.searchParams.append(k, String(one));
    else url.searchParams.append(k, String(v));
  }
}

/** An undici response body, up to `max` bytes kept (the rest read and dropped). */
export async function readBody(body: AsyncIterable<Buffer>, max: number): Promise<Buffer> {
  return (await readBodySized(body, max)).kept;
}

/** An undici response body read to its end: up to `max` bytes kept, and its whole size. */
export async function readBodySized(body: AsyncIterable<Buffer>, max: number): Promise<{kept: Buffer; size: number}> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < max) chunks.push(size + chunk.length > max ? chunk.subarray(0, max - size) : chunk);
    size += chunk.length;
  }
  return {kept: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), size};
}

/**
 * Whether a body's failure is undici complaining that a 204 or a 304 lacked the bytes its Content-Length spoke
 * of. Neither has a body, whatever that header says (RFC 9110: a 304's Content-Length is the size of the
 * representation it did not send): the response is complete at its head, as the h1 client reads it too.
 */
export function noBodyAfterAll(status: number, error: unknown): boolean {
  return (status === 204 || status === 304) && (error as {code?: unknown} | undefined)?.code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH';
}
