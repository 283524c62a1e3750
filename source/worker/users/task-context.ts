// What a virtual user's tasks are given (UserContext). A class, so that every user's context has one shape: an
// object literal with its own `get ws()` for each user left each context in dictionary mode, and every property a
// script read (`({http, randomInt}) => …`) was a lookup by name (perf: ~0.2 % of a scenario run, on every task).
import {rowFor} from '../../scenario/feeder.js';
import type {Feeder, Http, Sse, UserContext, Ws} from '../../scenario/types.js';

/** The user a context belongs to: its sockets, made when a task first asks for them, and its sleep. */
export interface ContextOwner {
  sockets(): {readonly ws: Ws; readonly sse: Sse};
  sleep(ms: number): Promise<void>;
}

export class TaskContext implements UserContext {
  // Own properties, not methods: scripts destructure them (`({randomInt}) => …`) and call them unbound.
  readonly pick = pick;
  readonly randomInt = randomInt;
  readonly data: <Row>(feeder: Feeder<Row>) => Row;
  readonly sleep: (seconds: number) => Promise<void>;
  readonly #owner: ContextOwner;

  constructor(
    readonly http: Http,
    readonly userId: number,
    readonly userType: string,
    readonly vars: Record<string, any>,
    owner: ContextOwner,
  ) {
    this.#owner = owner;
    this.data = (feeder) => rowFor(feeder, userId);
    this.sleep = (seconds) => owner.sleep(seconds * 1000);
  }

  // Getters: most scenarios never use sockets, and their users make no socket state.
  get ws(): Ws {
    return this.#owner.sockets().ws;
  }

  get sse(): Sse {
    return this.#owner.sockets().sse;
  }
}

function pick<T>(items: ReadonlyArray<T>): T {
  return items[Math.floor(Math.random() * items.length)];
}

function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}
