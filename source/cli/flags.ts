// Every flag brink takes, declared once: its name and letter, type, help line, built-in default, whether it
// repeats, and the commands that take it. The parser (scan.ts, command-line.ts, parse.ts), the help (help.ts),
// and the profiles (what a profile may keep, how it is checked) are all read from here.
import {kebab, type FlagDef} from './scan.js';
import {COMMANDS, type CommandName, type Section} from './commands.js';

type PerCommand<T> = T | Partial<Record<CommandName, T>>;

export interface Flag extends FlagDef {
  /** The placeholder for its value in help: `<n>`, `<dur>`. */
  readonly value?: string;
  /** How help shows it, when not as `--name`: `--no-color`. */
  readonly shown?: string;
  readonly help: string;
  /** Its line in one command's help, where the general one would mislead. */
  readonly helpFor?: Partial<Record<CommandName, string>>;
  /**
   * The commands that take it. A profile keeping it is checked as `run` reads it and, when `run` is not
   * first here, as the first command does too (so a value only quick mode or find-limit rejects is refused at save).
   */
  readonly commands: ReadonlyArray<CommandName>;
  readonly section: Section;
  /** The built-in default as one would type it, applied late (flag > profile > your defaults > this). */
  readonly default?: PerCommand<string>;
  /** What help says of a default worked out at run time, or applied only sometimes. */
  readonly defaultNote?: PerCommand<string>;
  /** Commands that refuse it typed, saying what to use instead; given by a profile, they skip it. */
  readonly refusedBy?: Partial<Record<CommandName, string>>;
}

const LOAD: CommandName[] = ['run', 'quick', 'find-limit', 'demo'];
const PLANS: CommandName[] = ['run', 'quick', 'demo'];
const ALL = Object.keys(COMMANDS) as CommandName[];
const CLIMB = 'it climbs from --start by --step-users every --step-time, up to --max-users';
const UNTIL = 'it runs until it finds the limit and times the recovery (bounded by --max-users and --recovery-timeout)';
const plan = (help: string, extra: Partial<Flag> = {}): Flag => ({
  type: 'string',
  help,
  commands: PLANS,
  section: 'plan',
  setting: 'plan',
  refusedBy: {'find-limit': CLIMB},
  ...extra,
});
const common = (type: 'string' | 'boolean', help: string, extra: Partial<Flag> = {}): Flag => ({
  type,
  help,
  commands: LOAD,
  section: 'common',
  ...extra,
});

const agentFlag = (type: 'string' | 'boolean', help: string, extra: Partial<Flag> = {}): Flag => ({
  type,
  help,
  commands: LOAD,
  section: 'agents',
  ...extra,
});

const ROWS = {
  users: {
    type: 'string',
    shortFlag: 'u',
    value: '<n>',
    help: 'virtual users',
    commands: ['run', 'demo'],
    section: 'load',
    setting: 'users',
    default: {run: '10', demo: '20'},
    refusedBy: {'find-limit': CLIMB},
  },
  spawnRate: {
    type: 'string',
    shortFlag: 'r',
    value: '<n>',
    help: 'users started per second',
    commands: ['run', 'demo'],
    section: 'load',
    defaultNote: 'users per second, or the largest jump of the plan per second: a 1 s ramp',
    refusedBy: {'find-limit': 'each step starts its users at once'},
  },
  runTime: {
    type: 'string',
    shortFlag: 't',
    value: '<dur>',
    help: 'stop after this long: 30s, 5m, 1h30m',
    commands: ['run', 'demo'],
    section: 'load',
    setting: 'runTime',
    default: {demo: '30s'},
    defaultNote: 'until q / Ctrl-C; a headless demo, 30s',
    refusedBy: {'find-limit': UNTIL},
  },
  host: {
    type: 'string',
    value: '<url>',
    help: "the target's base URL (overrides the scenario's host)",
    commands: ['run', 'find-limit', 'quick'],
    section: 'load',
    helpFor: {quick: 'the base URL a path joins (brink /api/health --host http://127.0.0.1:8000)'},
  },

  stepUsers: plan('with --step-time: a step ramp from n users, +n every dur, up to -u/-c', {
    value: '<n>',
    commands: [...PLANS, 'find-limit'],
    refusedBy: {},
    helpFor: {'find-limit': 'users each step adds'},
    defaultNote: {'find-limit': '--start'},
  }),
  stepTime: plan('how long each step of the ramp lasts', {
    value: '<dur>',
    commands: [...PLANS, 'find-limit'],
    refusedBy: {},
    default: {'find-limit': '15s'},
  }),
  hold: plan('stay at the top of the ramp this long', {value: '<dur>'}),
  stepDown: plan('then come back down in steps', {
    type: 'boolean',
    refusedBy: {'find-limit': 'it drops back to its baseline by itself once it finds the limit'},
  }),
  stages: plan('k6-style stages, linear ramps between targets', {value: '30s:10,2m:50,30s:0'}),
  spike: plan('from -u to peak users (--spike-time, --warmup, --recovery)', {value: '<peak>'}),
  spikeTime: plan('how long the spike lasts', {value: '<dur>', default: '30s'}),
  warmup: plan('time at the baseline before the spike', {value: '<dur>', default: '30s'}),
  recovery: plan('time at the baseline after the spike', {
    value: '<dur>',
    default: '1m',
    refusedBy: {'find-limit': 'it times the recovery itself (--recovery-timeout bounds it)'},
  }),
  rate: plan('open model: n iterations (requests in quick mode) a second, whatever the target does', {value: '<n>'}),
  rateStages: plan('ramping arrival rate', {value: '30s:50,1m:200'}),
  maxUsers: {
    type: 'string',
    value: '<n>',
    help: 'open model: cap on users running the iterations',
    commands: ['find-limit', ...PLANS],
    section: 'plan',
    default: '1000',
    helpFor: {'find-limit': 'the most users it climbs to'},
  },

  start: {type: 'string', value: '<n>', help: 'users at the first step', commands: ['find-limit'], section: 'find-limit', default: '5'},
  recoveryTimeout: {
    type: 'string',
    value: '<dur>',
    help: 'the longest it waits for the recovery',
    commands: ['find-limit'],
    section: 'find-limit',
    default: '60s',
  },

  connections: {
    type: 'string',
    shortFlag: 'c',
    value: '<n>',
    help: 'concurrent connections',
    commands: ['quick'],
    section: 'quick',
    setting: 'users',
    default: {quick: '50'},
    refusedBy: {'find-limit': CLIMB},
  },
  duration: {
    type: 'string',
    shortFlag: 'd',
    value: '<dur>',
    help: 'stop after this long',
    commands: ['quick'],
    section: 'quick',
    setting: 'runTime',
    default: {quick: '10s'},
    defaultNote: '10s; with a plan, as long as the plan',
    refusedBy: {'find-limit': UNTIL},
  },
  requests: {
    type: 'string',
    shortFlag: 'n',
    value: '<n>',
    help: "stop after n requests in all (hey's and oha's -n); with -d too, whichever comes first",
    commands: ['quick'],
    section: 'quick',
    defaultNote: 'no limit; without -d, the run lasts until the n-th',
  },
  qps: {
    type: 'string',
    shortFlag: 'q',
    value: '<n>',
    help: "requests a second at most, across all connections (oha's -q; the same as --max-rps)",
    commands: ['quick'],
    section: 'quick',
  },
  method: {
    type: 'string',
    shortFlag: 'm',
    value: '<verb>',
    help: 'GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS',
    commands: ['quick', 'find-limit'],
    section: 'quick',
    defaultNote: 'GET; POST with --body',
  },
  header: {
    type: 'string',
    shortFlag: 'H',
    isMultiple: true,
    value: "'K: v'",
    help: 'a request header, repeatable',
    commands: ['quick', 'find-limit'],
    section: 'quick',
  },
  body: {
    type: 'string',
    value: '<text|@file>',
    help: 'request body (with @, read from a file)',
    commands: ['quick', 'find-limit'],
    section: 'quick',
  },
  maxRedirects: {
    type: 'string',
    value: '<n>',
    help: 'follow up to n redirects, counted as one request (0: a 3xx is the response)',
    commands: ['quick', 'find-limit'],
    section: 'quick',
    default: '10',
  },

  headless: common('boolean', 'no live view: progress lines, then the summary (also when not a terminal)'),
  json: common('string', 'write the summary as JSON (- for stdout: the summary text then goes to stderr)', {value: '<file>'}),
  csv: common('string', 'write CSV as Locust does: <prefix>_stats.csv, _stats_history.csv, _failures.csv', {value: '<prefix>'}),
  csvFullHistory: common('boolean', "with --csv: a history row per endpoint too, as Locust's --csv-full-history"),
  html: common('string', 'write a self-contained HTML report with charts (opens with no network; - for stdout)', {value: '<file>'}),
  md: common('string', 'write a Markdown release record (- for stdout)', {value: '<file>'}),
  release: common('string', "the target's version under test, for the reports", {value: '<commit>'}),
  workers: common('string', 'worker threads generating load', {
    value: '<n>',
    defaultNote: 'one per core, half for a target on this machine',
    commands: [...LOAD, 'agent'],
    helpFor: {agent: "worker threads this agent runs (a controller's --workers wins)"},
  }),
  timeout: common('string', 'per-request timeout', {value: '<dur>', default: '30s'}),
  taskTimeout: common('string', 'a scenario task running longer is a script failure', {value: '<dur>', default: '60s'}),
  step: common('string', 'users added/removed by one + or -', {value: '<n>', default: '10'}),
  insecure: common('boolean', 'accept any TLS certificate'),
  http2: common('boolean', 'speak HTTP/2 where the server offers it (ALPN over https; h2c over http://), a few connections for all users'),
  threshold: common(
    'string',
    "pass/fail gate, repeatable: 'p95<800ms', 'errors<1%', 'rps>100', 'http_5xx<10', " +
      "'POST /api/orders: p99<2s'; a failed one makes brink exit 99",
    {value: '<expr>', isMultiple: true},
  ),
  abortOnFail: common('boolean', 'stop when a threshold stays broken for --abort-grace'),
  abortGrace: common('string', 'how long a threshold may stay broken with --abort-on-fail', {value: '<dur>', default: '10s'}),
  maxRps: common('string', 'never send more than n requests a second', {value: '<n>'}),
  metrics: common('string', 'serve Prometheus metrics during the run (loopback unless a host is named)', {value: '<[host:]port>'}),
  yes: common('boolean', 'load a host that is not loopback or private without asking (redirects and URLs in tasks too)'),
  stripHeader: common(
    'string',
    'a header a redirect to another origin drops, repeatable (Authorization, Proxy-Authorization, Cookie and X-Api-Key always are)',
    {value: '<name>', isMultiple: true},
  ),

  agents: agentFlag('string', 'be a controller: run the load on brink agents reached through this NATS server', {
    value: '<nats-url>',
  }),
  expectAgents: agentFlag('string', 'with --agents: the agents to wait for (it starts when this many are ready)', {
    value: '<n>',
    default: '1',
  }),
  agentTimeout: agentFlag('string', 'with --agents: how long to wait for them (then exit 2, naming who answered)', {
    value: '<dur>',
    default: '15s',
  }),
  rebalance: agentFlag('boolean', "with --agents: give a lost agent's users (or rate) to the other agents"),
  nats: {
    type: 'string',
    value: '<url>',
    help: 'the NATS server to join: nats://host:4222, tls://host:4222, credentials in it or below',
    commands: ['agent'],
    section: 'agents',
  },
  name: {
    type: 'string',
    value: '<name>',
    help: 'what runs call this agent',
    commands: ['agent'],
    section: 'agents',
    defaultNote: 'the host name',
  },
  once: {type: 'boolean', help: 'exit after one run (0 when it completed)', commands: ['agent'], section: 'agents'},
  natsCreds: agentFlag('string', 'a NATS credentials file (a user JWT and its NKey seed)', {value: '<file>', commands: [...LOAD, 'agent']}),
  natsToken: agentFlag('string', 'a NATS token (also BRINK_NATS_TOKEN, kept out of ps)', {value: '<token>', commands: [...LOAD, 'agent']}),
  natsTlsCa: agentFlag('string', "the CA (PEM) the NATS server's TLS certificate chains to", {
    value: '<file>',
    commands: [...LOAD, 'agent'],
  }),

  profile: {
    type: 'string',
    value: '<name>',
    help: 'apply a saved profile',
    commands: [...LOAD, 'profile'],
    section: 'profile',
    stored: false,
  },
  color: {
    type: 'boolean',
    shown: '--no-color',
    help: 'no colour in the live view (same as NO_COLOR=1)',
    commands: [...LOAD, 'profile'],
    section: 'profile',
  },

  serveOnly: {type: 'boolean', help: 'only start the demo shop and print its URL', commands: ['demo'], section: 'demo'},
  port: {
    type: 'string',
    value: '<n>',
    help: "the demo shop's port, with --serve-only",
    commands: ['demo'],
    section: 'demo',
    defaultNote: 'a free one',
  },

  tolerance: {
    type: 'string',
    value: '<pct>',
    help: 'a change beyond this in the worse direction is a regression',
    commands: ['compare'],
    section: 'compare',
    default: '10%',
  },

  pattern: {
    type: 'string',
    shortFlag: 'p',
    value: '<name>',
    help: 'browse, form-login, api, upload or single',
    commands: ['init'],
    section: 'init',
    default: 'browse',
  },
  fromOpenapi: {
    type: 'string',
    value: '<spec>',
    help: 'one named task per operation of this OpenAPI or Swagger spec (JSON or YAML)',
    commands: ['init'],
    section: 'init',
  },
  fromHar: {
    type: 'string',
    value: '<file.har>',
    help: "one flow of a browser's recorded requests (HAR), tokens read from the answers at run time",
    commands: ['init'],
    section: 'init',
  },
  harHosts: {type: 'string', value: '<a,b>', help: "with --from-har: keep these hosts' requests too", commands: ['init'], section: 'init'},
  harAllHosts: {type: 'boolean', help: "with --from-har: keep every host's requests", commands: ['init'], section: 'init'},
  harAssets: {type: 'boolean', help: 'with --from-har: keep scripts, styles, images and fonts', commands: ['init'], section: 'init'},
  force: {type: 'boolean', shortFlag: 'f', help: 'overwrite the file', commands: ['init'], section: 'init'},

  help: {
    type: 'boolean',
    shortFlag: 'h',
    help: "this help; brink <command> --help: that command's",
    commands: ALL,
    section: 'global',
    stored: false,
  },
  version: {type: 'boolean', shortFlag: 'V', help: "brink's version", commands: ALL, section: 'global', stored: false},
} satisfies Record<string, Flag>;

export type FlagName = keyof typeof ROWS;

/** The table, each flag marked as a profile may keep it or not: a load command's, other than --profile. */
export const FLAGS: Readonly<Record<FlagName, Flag>> = Object.fromEntries(
  Object.entries(ROWS).map(([name, row]: [string, Flag]) => [
    name,
    {...row, stored: row.stored ?? row.commands.some((c) => COMMANDS[c].load)},
  ]),
) as Record<FlagName, Flag>;

export const FLAG_NAMES = Object.keys(FLAGS) as FlagName[];

export const isFlagName = (name: string): name is FlagName => Object.hasOwn(FLAGS, name);

/** The flags a command takes, in table order. */
export const flagsOf = (command: CommandName): FlagName[] => FLAG_NAMES.filter((name) => FLAGS[name].commands.includes(command));

/** The flags a command accepts: its own, and every load command's when it takes them (commands.ts). */
export function accepts(command: CommandName, name: FlagName): boolean {
  const flag = FLAGS[name];
  return flag.commands.includes(command) || (COMMANDS[command].takesLoadFlags && flag.commands.some((c) => COMMANDS[c].load));
}

/** A flag as messages name it: `-u/--users`, `--step-users`. */
export function label(name: string): string {
  const letter = isFlagName(name) ? FLAGS[name].shortFlag : undefined;
  return `${letter ? `-${letter}/` : ''}--${kebab(name)}`;
}

/** The built-in default of a flag for a command, as one would type it. */
export function builtIn(name: FlagName, command: CommandName): string | undefined {
  const value = FLAGS[name].default;
  return typeof value === 'object' ? value[command] : value;
}

/** What help says a flag defaults to, for one command or (undefined) for all. */
export function defaultText(name: FlagName, command?: CommandName): string | undefined {
  const flag = FLAGS[name];
  const text = (value: PerCommand<string> | undefined) => {
    if (value === undefined || typeof value !== 'object') return value;
    if (command !== undefined) return value[command];
    const entries = Object.entries(value);
    return entries.length === 0 ? undefined : entries.map(([c, v]) => `${c === 'quick' ? 'quick mode' : c}: ${v}`).join('; ');
  };
  return text(flag.defaultNote) ?? text(flag.default);
}

/** A flag's help line for a command, or for all. */
export const helpLine = (name: FlagName, command?: CommandName): string => (command && FLAGS[name].helpFor?.[command]) || FLAGS[name].help;
