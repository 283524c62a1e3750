// The command table: what each command is called, how it is used, and what its own help says besides its
// flags. The flags themselves (which commands take each one) are in flags.ts; help.ts renders both, and
// command-line.ts reads a command line by them. A new command (say `agent`) is a row here, its name added
// to CommandName, and that name in the `commands` of the flags it takes.

export type CommandName = 'demo' | 'run' | 'quick' | 'find-limit' | 'agent' | 'init' | 'profile' | 'compare';

/** Where a flag is listed in the help, and under which title. */
export type Section = 'load' | 'plan' | 'find-limit' | 'quick' | 'demo' | 'common' | 'agents' | 'profile' | 'compare' | 'init' | 'global';

export const SECTION_TITLES: Readonly<Record<Section, string>> = {
  load: "Run options (Locust's letters; -c and -d mean -u and -t here)",
  plan: 'Load plans (flags win over a plan in the scenario)',
  'find-limit': 'Find the limit',
  quick: 'Quick mode options (hey/wrk letters; -u and -t mean -c and -d here)',
  demo: 'Demo options',
  common: 'Common options',
  agents: 'Many load boxes: agents over NATS (readme: Many load boxes)',
  profile: 'Profiles and defaults (flags given > --profile > your defaults > built-in defaults)',
  compare: 'Compare options',
  init: 'Starter options',
  global: 'Help',
};

export interface Command {
  /** As the global help lists it: `brink run <scenario.ts> --host <url>`. */
  readonly usage: ReadonlyArray<string>;
  /** One line beside its first usage in the global help. */
  readonly summary: string;
  /** What its own help says under the usage. */
  readonly about?: ReadonlyArray<string>;
  /** Its own help's titles for a section, where the global one would mislead. */
  readonly titles?: Partial<Record<Section, string>>;
  readonly examples?: ReadonlyArray<string>;
  /** A load command sends traffic, and reads --profile and the user's defaults. */
  readonly load: boolean;
  /**
   * It takes every load command's flags: a load command (one profile serves every mode, so a flag a mode has
   * no use for is left alone), and `brink profile`, which keeps them.
   */
  readonly takesLoadFlags: boolean;
}

/** The file `brink init` writes when it is given none. */
export const INIT_FILE = 'scenario.ts';

export const COMMANDS: Readonly<Record<CommandName, Command>> = {
  demo: {
    usage: ['brink demo'],
    summary: 'live view against the built-in demo shop',
    about: ["A step ramp past the demo shop's limits, a hold, and back down; headless it ends after 30 s unless -t."],
    titles: {load: 'Run options (-c and -d mean -u and -t here)'},
    load: true,
    takesLoadFlags: true,
    examples: ['brink demo', 'brink demo --serve-only --port 8000'],
  },
  run: {
    usage: ['brink run <scenario.ts> --host <url>'],
    summary: 'run a TypeScript scenario',
    titles: {load: 'Run options (-c and -d mean -u and -t here)'},
    load: true,
    takesLoadFlags: true,
    examples: [
      'brink run scenarios/shop-api.ts --host http://127.0.0.1:8000 -u 50 -r 10 -t 5m',
      'brink run scenarios/browse.ts --host http://127.0.0.1:8000 -u 20 -t 1m --headless --json out.json',
      'brink run scenarios/shop-api.ts -u 100 --step-users 10 --step-time 30s --headless \\',
      '    --json run.json --csv run --html report.html --md release.md --release $(git -C ../shop rev-parse --short HEAD)',
    ],
  },
  quick: {
    usage: ['brink <url>'],
    summary: 'quick mode: one URL, back to back (like hey/wrk/oha)',
    about: [
      'Each connection is a user sending back to back, no think time. With --host (or a --profile with a host),',
      'a path will do: brink /api/health --profile staging.',
    ],
    titles: {load: 'Target', quick: 'Quick mode options (-u and -t mean -c and -d here)'},
    load: true,
    takesLoadFlags: true,
    examples: [
      'brink http://127.0.0.1:8000/user/123 -c 100 -d 30s',
      `brink http://127.0.0.1:8000/api/orders -m POST -H 'Content-Type: application/json' --body '{"product_id":1}'`,
    ],
  },
  'find-limit': {
    usage: ['brink find-limit <scenario.ts|url> [--host <url>]'],
    summary: 'climb a step ramp to the breaking point, drop back, time the recovery',
    about: [
      'It climbs until the knee or the breaking point is clear, drops back to the baseline, times the recovery',
      'and ends with the verdict. Its ramp is its own: -u, -t, -r or a plan typed with it is an error; the same',
      'flags stored in a profile are skipped.',
    ],
    titles: {load: 'Target', plan: 'Its step ramp', quick: 'Its request, with a URL'},
    load: true,
    takesLoadFlags: true,
    examples: [
      'brink find-limit scenarios/shop-api.ts --host http://127.0.0.1:8000 --start 10 --step-time 20s',
      'brink find-limit http://127.0.0.1:8000/user/1 --start 5',
    ],
  },
  agent: {
    usage: ['brink agent --nats nats://<host>:4222 [--name <name>] [--once]'],
    summary: 'a load box: joins a NATS server and runs the load a controller (--agents) sends it',
    about: [
      'It dials out to the NATS server (it works behind NAT and firewalls) and waits for runs: a load command',
      'given --agents sends it the scenario, its share of the users and the keys. It stops the load by itself when',
      'the controller falls silent for 3 s. Anyone who can publish to the server can run code here: use its credentials.',
    ],
    load: false,
    takesLoadFlags: false,
    examples: [
      'brink agent --nats nats://nats.internal:4222 --name box1',
      'brink run shop.ts --host http://shop.internal:8000 -u 2000 --agents nats://nats.internal:4222 --expect-agents 4',
    ],
  },
  init: {
    usage: [
      'brink init [file.ts]',
      'brink init --from-openapi <spec.json|spec.yaml> [file.ts]',
      'brink init --from-har <recording.har> [file.ts]',
    ],
    summary: 'write a starter scenario (or one from an OpenAPI spec or a browser recording)',
    about: [
      `A starter from the example patterns (default file ${INIT_FILE}), written for the demo shop; or one`,
      'named task per operation of an OpenAPI 3.0/3.1 or Swagger 2.0 spec, reads weighted above writes, auth as a TODO;',
      "or one flow of a browser's HAR recording, its tokens and CSRF fields read from the answers at run time.",
    ],
    load: false,
    takesLoadFlags: false,
    examples: [
      'brink init checkout.ts --pattern api && brink run checkout.ts --profile staging',
      'brink init --from-har recording.har flow.ts && brink run flow.ts --host http://127.0.0.1:8000',
    ],
  },
  profile: {
    usage: ['brink profile save <name> [flags]', 'brink profile list | show <name> | delete <name>', 'brink profile defaults [flags]'],
    summary: 'keep run flags under a name; --profile <name> uses them',
    about: [
      'save keeps the flags given under a name; defaults keeps flags every run uses (no flags: shows them).',
      'They take the flags of run, quick mode, find-limit and demo (brink run --help, …), --profile excepted.',
      'A flag given replaces the stored one, repeatable flags included; one load plan replaces another.',
      'Quick mode reads -u as -c and -t as -d, and a path (brink /api/health --profile staging) joins --host.',
      'find-limit runs its own step ramp: it skips a stored load shape (-u, -t, -r, a plan) and refuses one typed.',
      "Profiles live in conf's config file (~/.config/brink/config.json on Linux; $BRINK_CONFIG_DIR overrides the directory).",
    ],
    load: false,
    takesLoadFlags: true,
    examples: [
      `brink profile save staging --host https://staging.example.com -u 50 --threshold 'p95<800ms'`,
      'brink profile defaults --step 25 --no-color',
    ],
  },
  compare: {
    usage: ['brink compare <old.json> <new.json>'],
    summary: "per-endpoint changes between two runs' summaries",
    about: [
      'p50/p95/p99, req/s and failure rate per endpoint; a change beyond the tolerance in the worse direction',
      'is a regression (exit 3). Latency changes under 1 ms and failure-rate changes under 0.1 point are noise.',
    ],
    load: false,
    takesLoadFlags: false,
    examples: ['brink compare baseline.json run.json --tolerance 15%'],
  },
};

export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

/** Quick mode's first argument: a full URL, or a path (joined to --host). */
export const isQuickTarget = (word: string): boolean => /^https?:\/\//i.test(word) || word.startsWith('/');

/** The command a command line's first positional names; undefined when it names none. */
export function commandNamed(first: string): CommandName | undefined {
  if (isQuickTarget(first)) return 'quick';
  return first !== 'quick' && Object.hasOwn(COMMANDS, first) ? (first as CommandName) : undefined;
}

/** How messages name a command: `brink run`, or quick mode's `brink <url>`. */
export const shownAs = (command: CommandName): string => (command === 'quick' ? 'brink <url>' : `brink ${command}`);
