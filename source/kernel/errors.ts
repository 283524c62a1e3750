// Errors a user sees: each carries a stable code (scripts and the readme's table can rely on it) and a one-line
// hint on what to do. The command line prints `brink: <message> (<code>)` and the hint under it.

/** Every code brink shows, with its exit code and its hint. The readme lists them (a test holds it to this table). */
export const ERROR_CODES = {
  BRINK_E_USAGE: {exit: 2, hint: 'brink <command> --help shows what each command takes'},
  BRINK_E_UNKNOWN_FLAG: {exit: 2, hint: 'brink <command> --help lists the flags each command takes'},
  BRINK_E_FLAG_VALUE: {exit: 2, hint: "the flag's help line (brink <command> --help) shows the form its value takes"},
  BRINK_E_PLAN: {exit: 2, hint: 'one load plan a run: constant -u/-t, a step ramp, --stages, --spike, or --rate (readme: Load plans)'},
  BRINK_E_THRESHOLD: {
    exit: 2,
    hint: "a threshold is 'metric op limit', e.g. p95<800ms, errors<1%, 'POST /api/orders: p99<2s' (readme: Thresholds)",
  },
  BRINK_E_NO_TARGET: {exit: 2, hint: "pass --host <url>, or set host in the scenario (scenario({host: 'http://…'}))"},
  BRINK_E_SCENARIO: {exit: 2, hint: 'fix the scenario at the file:line named; brink init writes a working one to start from'},
  BRINK_E_FEEDER: {exit: 2, hint: 'csv() paths are relative to the scenario file; the file needs a header line and at least one row'},
  BRINK_E_PROFILE: {exit: 2, hint: 'brink profile list | show <name> shows what is stored; brink profile save <name> … replaces a profile'},
  BRINK_E_CONFIG: {
    exit: 2,
    hint: 'brink.config.json and BRINK_* variables take the flags a profile can keep, by name (readme: Configuration)',
  },
  BRINK_E_NOT_LOCAL: {exit: 2, hint: 'make sure you may load-test that host, then pass --yes'},
  BRINK_E_OUTPUT: {exit: 2, hint: 'give a file in a directory that exists and that you can write to'},
  BRINK_E_INIT: {exit: 2, hint: 'brink init --help shows the patterns and options'},
  BRINK_E_COMPARE: {exit: 2, hint: 'compare two summaries written with --json, e.g. brink compare before.json after.json'},
  BRINK_E_START: {exit: 2, hint: 'the scenario failed as the workers loaded it: run it with -u 1 -t 5s to see its first error'},
  BRINK_E_AGENTS: {
    exit: 2,
    hint: 'start nats-server and brink agent --nats <url> on each load box, then match --expect-agents (readme: Many load boxes)',
  },
  BRINK_E_INTERNAL: {exit: 1, hint: 'this is a bug in brink: please report it with the command and the output above'},
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error meant for the user: its message says what is wrong (naming the file, line or flag), its hint what to do. */
export class BrinkError extends Error {
  override name = 'BrinkError';
  readonly hint: string;

  constructor(
    readonly code: ErrorCode,
    message: string,
    hint?: string,
  ) {
    super(message);
    this.hint = hint ?? ERROR_CODES[code].hint;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }
}

/** A mistake in the command line: exit code 2, one line that says what to fix. */
export class UsageError extends BrinkError {
  override name = 'UsageError';

  constructor(message: string, code: ErrorCode = 'BRINK_E_USAGE', hint?: string) {
    super(code, message, hint);
  }
}

/** How the command line shows a BrinkError: the message with its code, then the hint. */
export function formatError(error: BrinkError): string {
  return `brink: ${error.message.split('\n')[0]} (${error.code})\n  hint: ${error.hint}\n`;
}

export const EXIT = {ok: 0, internal: 1, usage: 2, regression: 3, thresholds: 99} as const;
