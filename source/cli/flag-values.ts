// The flags a command line gave, by name, and the built-in defaults behind them (applied late: a value typed
// or kept in a profile always wins over the table's default).
import {builtIn, FLAGS, type FlagName} from './flags.js';
import type {CommandName} from './commands.js';
import type {FlagUse} from './scan.js';

export class FlagValues {
  readonly #values = new Map<FlagName, string | boolean | string[]>();
  readonly #command: CommandName;

  constructor(uses: ReadonlyArray<FlagUse & {readonly name: FlagName}>, command: CommandName) {
    this.#command = command;
    for (const {name, value} of uses) {
      const before = this.#values.get(name);
      this.#values.set(name, FLAGS[name].isMultiple ? [...(Array.isArray(before) ? before : []), String(value)] : value);
    }
  }

  /** Given, on the command line or by a profile. */
  has(name: FlagName): boolean {
    return this.#values.has(name);
  }

  /** A string flag's value as given (`--host` with nothing after it: ''). */
  string(name: FlagName): string | undefined {
    const value = this.#values.get(name);
    return value === undefined ? undefined : String(value);
  }

  /** A repeatable flag's values. */
  list(name: FlagName): string[] {
    const value = this.#values.get(name);
    return Array.isArray(value) ? value : [];
  }

  /** A boolean flag: false unless given. */
  bool(name: FlagName): boolean {
    return this.#values.get(name) === true;
  }

  /** A string flag's value, or its built-in default for this command. */
  or(name: FlagName): string {
    const value = this.string(name) ?? builtIn(name, this.#command);
    if (value === undefined) throw new Error(`--${name} has no built-in default for ${this.#command}`);
    return value;
  }

  /** The built-in default for this command, as a number (applied without the checks a typed value gets). */
  builtInNumber(name: FlagName): number {
    return Number(builtIn(name, this.#command));
  }
}
