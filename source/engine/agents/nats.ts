// The NATS connection of a controller or an agent: the server URL (credentials in it, as nats:// URLs carry
// them), a .creds file, a token, a CA for TLS. The client (@nats-io/transport-node) is loaded only when a run
// uses agents. Messages are JSON; file chunks are raw bytes.
import {readFileSync} from 'node:fs';
import type {NatsConnection, NodeConnectionOptions} from '@nats-io/transport-node';
import {BrinkError} from '../../kernel/errors.js';

export type {NatsConnection, Msg, Subscription} from '@nats-io/transport-node';

export interface NatsSettings {
  /** nats://host:4222, tls://host:4222, nats://user:pass@host, nats://token@host. */
  readonly url: string;
  /** A .creds file (a user JWT and its NKey seed), as `nats` and `nsc` write them. */
  readonly creds?: string;
  readonly token?: string;
  /** A CA certificate (PEM) the server's TLS certificate must chain to; implies TLS. */
  readonly tlsCa?: string;
}

/** The server's address without its credentials, for messages (a password never reaches a log). */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

/** Checks a --nats/--agents value; returns an error message or undefined. */
export function checkNatsUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `'${url}' is not a URL (e.g. nats://127.0.0.1:4222)`;
  }
  if (!['nats:', 'tls:'].includes(u.protocol)) return `'${shownUrl(url)}' is not a nats:// or tls:// URL`;
  if (!u.hostname) return `'${shownUrl(url)}' names no host`;
  return undefined;
}

/** The client's options for these settings. */
export function connectionOptions(settings: NatsSettings, name: string): NodeConnectionOptions {
  const u = new URL(settings.url);
  const server = `${u.hostname.includes(':') && !u.hostname.startsWith('[') ? `[${u.hostname}]` : u.hostname}:${u.port || 4222}`;
  const user = decodeURIComponent(u.username);
  const pass = decodeURIComponent(u.password);
  const options: NodeConnectionOptions = {servers: server, name, timeout: 5000};
  // nats://user:pass@host is a user and a password; nats://token@host a token (as the nats CLI reads them).
  if (user && pass) Object.assign(options, {user, pass});
  else if (user) options.token = user;
  if (settings.token) options.token = settings.token;
  // The certificate is checked against the host as typed: the client names no host for an IP address (Node then
  // checks the name 'localhost'), so a certificate for 127.0.0.1 or 10.0.0.5 would never match.
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (u.protocol === 'tls:' || settings.tlsCa)
    options.tls = {...(settings.tlsCa ? {caFile: settings.tlsCa} : {}), host} as NodeConnectionOptions['tls'];
  return options;
}

/** Connects, or throws a BrinkError saying why (unreachable, refused credentials). */
export async function connectNats(
  settings: NatsSettings,
  name: string,
  extra: Partial<NodeConnectionOptions> = {},
): Promise<NatsConnection> {
  const {connect, credsAuthenticator} = await import('@nats-io/transport-node');
  const options = connectionOptions(settings, name);
  if (settings.creds) {
    let creds: Uint8Array;
    try {
      creds = readFileSync(settings.creds);
    } catch (error) {
      throw new BrinkError('BRINK_E_AGENTS', `cannot read the NATS credentials ${settings.creds}: ${(error as Error).message}`);
    }
    options.authenticator = credsAuthenticator(creds);
  }
  try {
    return await connect({...options, ...extra});
  } catch (error) {
    throw new BrinkError('BRINK_E_AGENTS', `cannot connect to NATS at ${shownUrl(settings.url)}: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  const e = error as {message?: string; code?: string; cause?: {message?: string}};
  return [e?.message, e?.cause?.message].filter(Boolean).join(': ') || String(error);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
export const encodeJson = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));
export function decodeJson<T>(data: Uint8Array): T | undefined {
  try {
    return JSON.parse(decoder.decode(data)) as T;
  } catch {
    return undefined;
  }
}
