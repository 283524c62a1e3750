// Small HAR 1.2 documents for the tests of `brink init --from-har`, written the way Chromium writes them.

export interface EntrySpec {
  /** When it started, ms after the recording began. */
  readonly at: number;
  /** How long it took, ms (default 20). */
  readonly time?: number;
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: {readonly mime: string; readonly text: string};
  readonly responseHeaders?: ReadonlyArray<readonly [string, string]>;
  /** `name=value; Path=/` lines. */
  readonly setCookies?: ReadonlyArray<string>;
  readonly mime?: string;
  readonly content?: string;
  readonly type?: string;
  readonly location?: string;
}

const START = Date.parse('2025-03-01T10:00:00.000Z');

export function entry(method: string, url: string, spec: EntrySpec): Record<string, unknown> {
  const headers = Object.entries(spec.headers ?? {}).map(([name, value]) => ({name, value}));
  const responseHeaders = [
    ...(spec.responseHeaders ?? []).map(([name, value]) => ({name, value})),
    ...(spec.setCookies ?? []).map((value) => ({name: 'set-cookie', value})),
    ...(spec.location ? [{name: 'location', value: spec.location}] : []),
    ...(spec.mime ? [{name: 'content-type', value: spec.mime}] : []),
  ];
  return {
    startedDateTime: new Date(START + spec.at).toISOString(),
    time: spec.time ?? 20,
    _resourceType: spec.type,
    request: {
      method,
      url,
      httpVersion: 'HTTP/1.1',
      headers,
      queryString: [...new URL(url).searchParams].map(([name, value]) => ({name, value})),
      cookies: [],
      headersSize: -1,
      bodySize: spec.body ? spec.body.text.length : 0,
      ...(spec.body ? {postData: {mimeType: spec.body.mime, text: spec.body.text}} : {}),
    },
    response: {
      status: spec.status ?? 200,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      headers: responseHeaders,
      cookies: [],
      content: {
        size: spec.content?.length ?? 0,
        mimeType: spec.mime ?? 'x-unknown',
        ...(spec.content !== undefined ? {text: spec.content} : {}),
      },
      redirectURL: spec.location ? new URL(spec.location, url).href : '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: {send: 0, wait: 10, receive: 10},
  };
}

export function har(entries: ReadonlyArray<Record<string, unknown>>): Record<string, unknown> {
  return {log: {version: '1.2', creator: {name: 'test', version: '1'}, pages: [], entries}};
}

export const html = (body: string) => `<!doctype html><html><head><title>t</title></head><body>${body}</body></html>`;
