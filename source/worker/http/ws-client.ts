// WebSocket handshakes through the `ws` package: the handshake carries headers (cookies, a bearer token), a
// rejected one says its HTTP status ('unexpected-response'), and the connection goes through the host guard's
// lookup as every other one does. undici's WebSocket takes headers too, but a rejected handshake reaches its
// script as a bare error event, without the status. `ws` is required on a scenario's first ws.connect(), so runs
// without WebSockets never load it.
import {createRequire} from 'node:module';
import type {IncomingMessage} from 'node:http';
import type WebSocket from 'ws';
import type {HostGuard} from './host-guard.js';
import {classifyError, failureMessage} from './classify.js';
import type {FailureKind} from '../../protocol/snapshot.js';

type WsModule = typeof WebSocket;
let loaded: WsModule | undefined;

function loadWs(): WsModule {
  // Required, not imported: ws is CommonJS, and import() would first scan its source for export names.
  loaded ??= createRequire(import.meta.url)('ws') as WsModule;
  return loaded;
}

/** The code of a handshake the server answered with a status other than 101. */
const WS_HANDSHAKE = 'BRINK_WS_HANDSHAKE';

export interface WsSettings {
  readonly headers: Record<string, string>;
  readonly protocols: ReadonlyArray<string>;
  readonly timeoutMs: number;
  readonly insecure: boolean;
  readonly guard: HostGuard | undefined;
}

export interface OpenedWs {
  readonly socket: WebSocket;
  /** The handshake's Set-Cookie, if it had one. */
  readonly setCookie: string | string[] | undefined;
}

/** Opens a WebSocket to `url` (ws: or wss:); rejects with the error of a refused, timed out or rejected handshake. */
export function openWebSocket(url: URL, settings: WsSettings): Promise<OpenedWs> {
  const blocked = settings.guard?.literal(url.hostname);
  if (blocked) return Promise.reject(blocked);
  const WebSocketClass = loadWs();
  return new Promise((resolve, reject) => {
    let setCookie: string | string[] | undefined;
    const socket = new WebSocketClass(url, [...settings.protocols], {
      headers: settings.headers,
      handshakeTimeout: settings.timeoutMs,
      rejectUnauthorized: !settings.insecure,
      // Passed on to net.connect/tls.connect: the address connected to is the one the guard checked.
      ...(settings.guard ? {lookup: settings.guard.lookup} : {}),
    });
    const fail = (error: unknown) => {
      socket.removeAllListeners();
      socket.on('error', () => {}); // what the end of an aborted handshake may still say
      socket.terminate();
      reject(error);
    };
    socket.once('upgrade', (res: IncomingMessage) => {
      setCookie = res.headers['set-cookie'];
    });
    socket.once('unexpected-response', (req, res: IncomingMessage) => {
      res.resume();
      req.destroy();
      fail(Object.assign(new Error(`handshake answered HTTP ${res.statusCode}`), {code: WS_HANDSHAKE, status: res.statusCode ?? 0}));
    });
    socket.once('error', fail);
    socket.once('open', () => {
      socket.removeAllListeners();
      resolve({socket, setCookie});
    });
  });
}

/** The failure kind of a handshake that did not open a socket, and what its error sample says. */
export function handshakeFailure(error: unknown, timeoutMs: number): {kind: FailureKind; message: string; status: number} {
  const e = error as {code?: unknown; status?: unknown; message?: unknown};
  if (e?.code === WS_HANDSHAKE) {
    const status = Number(e.status);
    return {kind: `ws_handshake_${status}`, message: `HTTP ${status}: the server refused the WebSocket handshake`, status};
  }
  if (typeof e?.message === 'string' && /handshake has timed out/i.test(e.message))
    return {kind: 'timeout', message: `no WebSocket handshake within ${timeoutMs} ms`, status: 0};
  const found = classifyError(error);
  // Not a network error: the server answered 101 with what is not a WebSocket handshake (a bad Sec-WebSocket-Accept…).
  const kind = found === 'other' ? 'protocol' : found;
  return {kind, message: failureMessage(kind, error, timeoutMs), status: 0};
}
