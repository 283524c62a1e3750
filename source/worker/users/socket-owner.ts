// What a user's WebSockets and event streams share: the user that holds them (is it stopping? the run's
// timeout, the worker's warnings), and the errors they end a task with.
import type {NextOptions} from '../../scenario/types.js';

/** The user that holds a socket (user-sockets.ts). */
export interface SocketOwner {
  /** The user is stopping: new waits end the task (UserStopped). */
  readonly stopping: boolean;
  /** The run's `--timeout`, ms: next()'s default. */
  readonly timeoutMs: number;
  /** The socket is closed (by anyone): no longer counted as open, nor closed when the user stops. */
  forget(socket: unknown): void;
  /** A warning about the scenario, said once a worker. */
  warn(text: string): void;
}

/** An error that ends a task whose failure was already counted (a timeout, a close by the server): not a script error too. */
export function counted(message: string): Error {
  return Object.assign(new Error(message), {brinkCounted: true});
}

/** The script's mistake (next() after its own close()): a script error with its file:line, made where the script called. */
export function scriptMistake(message: string): Error {
  return new Error(message);
}

/**
 * What next() checks before it waits on a socket's inbox: no other next() on it waiting, and a valid timeout.
 * Returns the wait in ms; throws the script's mistake.
 */
export function nextWaitMs(key: string, waiting: boolean, options: NextOptions | undefined, runTimeoutMs: number): number {
  if (waiting) throw scriptMistake(`${key}: next() while another next() on it is waiting (a missing await?)`);
  return nextTimeoutMs(options, runTimeoutMs);
}

/** next()'s timeout in ms: the option (seconds), or the run's timeout. */
export function nextTimeoutMs(options: NextOptions | undefined, runTimeoutMs: number): number {
  const seconds = options?.timeout;
  if (seconds === undefined) return runTimeoutMs;
  if (typeof seconds !== 'number' || !(seconds > 0))
    throw new TypeError(`next(): timeout is in seconds, a number above 0 (got ${String(seconds)})`);
  // setTimeout takes at most 2^31-1 ms (about 24 days): past that it would fire at once.
  return Math.min(seconds * 1000, 2 ** 31 - 1);
}
