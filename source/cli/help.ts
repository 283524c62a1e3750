export const HELP = `
  Usage
    $ brink demo                                 live view against the built-in demo shop
    $ brink run <scenario.ts> --host <url>       run a TypeScript scenario
    $ brink <url>                                quick mode: one URL, back to back (like hey/wrk/oha)
    $ brink init [file.ts]                       write a starter scenario (or one from an OpenAPI spec)
    $ brink profile save <name> [flags]          keep run flags under a name; --profile <name> uses them
    $ brink compare <old.json> <new.json>        per-endpoint changes between two runs' summaries

  Run options (Locust's letters; -c and -d mean -u and -t here)
    -u, --users <n>          virtual users (default 10)
    -r, --spawn-rate <n>     users started per second (default: users per second, i.e. 1 s ramp)
    -t, --run-time <dur>     stop after this long: 30s, 5m, 1h30m (default: until q / Ctrl-C)
        --host <url>         the target's base URL (overrides the scenario's host)

  Load plans (flags win over a plan in the scenario)
        --step-users <n> --step-time <dur>   step ramp from n users, +n every dur, up to -u/-c
        --hold <dur>         stay at the top this long        --step-down   then come back down in steps
        --stages 30s:10,2m:50,30s:0           k6-style stages, linear ramps between targets
        --spike <peak>       from -u to peak users (--spike-time 30s, --warmup 30s, --recovery 1m)
        --rate <n>           open model: n iterations (requests in quick mode) a second, whatever the target does
        --rate-stages 30s:50,1m:200           ramping arrival rate
        --max-users <n>      open model: cap on users running the iterations (default 1000)

  Find the limit
    $ brink find-limit <scenario.ts|url> [--host <url>] [--start 5] [--step-users 5] [--step-time 15s]
                       [--max-users 1000] [--recovery-timeout 60s]

  Quick mode options (hey/wrk letters; -u and -t mean -c and -d here)
    -c, --connections <n>    concurrent connections (default 50)
    -d, --duration <dur>     stop after this long (default 10s)
    -m, --method <verb>      GET (default), POST, PUT, PATCH, DELETE, HEAD
    -H, --header 'K: v'      a request header, repeatable
        --body <text|@file>  request body (with @, read from a file)

  Common options
        --headless           no live view: progress lines, then the summary (also when not a terminal)
        --json <file>        write the summary as JSON
        --csv <prefix>       write CSV as Locust does: <prefix>_stats.csv, _stats_history.csv, _failures.csv
        --html <file>        write a self-contained HTML report with charts (opens with no network)
        --md <file>          write a Markdown release record; --release <commit> names the target's version
        --workers <n>        worker threads (default: one per core, half for a target on this machine)
        --timeout <dur>      per-request timeout (default 30s)
        --task-timeout <dur> a scenario task running longer is a script failure (default 60s)
        --step <n>           users added/removed by one + or - (default 10)
        --insecure           accept any TLS certificate
        --threshold <expr>   pass/fail gate, repeatable: 'p95<800ms', 'errors<1%', 'rps>100', 'http_5xx<10',
                             'POST /api/orders: p99<2s'; a failed one makes brink exit 99
        --abort-on-fail      stop when a threshold stays broken for --abort-grace (default 10s)
        --max-rps <n>        never send more than n requests a second
        --metrics <[host:]port>  serve Prometheus metrics during the run (loopback unless a host is named)
        --yes                load a host that is not loopback or private without asking
        --serve-only         (demo) only start the demo shop and print its URL
        --port <n>           (demo --serve-only) port for the demo shop (default: a free one)

  Compare two runs
    $ brink compare <old.json> <new.json> [--tolerance 10%]
      p50/p95/p99, req/s and failure rate per endpoint; a change beyond the tolerance in the worse direction
      is a regression (exit 3). Latency changes under 1 ms and failure-rate changes under 0.1 point are noise.

  Profiles and defaults (flags given > --profile > your defaults > built-in defaults)
    $ brink profile save <name> [flags]      e.g. brink profile save staging --host https://staging.example.com -u 50 --threshold 'p95<800ms'
    $ brink profile list | show <name> | delete <name>
    $ brink profile defaults [flags]         flags every run uses, e.g. --step 25 --no-color (no flags: show them)
        --profile <name>     (run, quick mode, find-limit, demo) apply a saved profile
        --no-color           no colour in the live view (same as NO_COLOR=1)
    A flag given replaces the stored one, repeatable flags included; one load plan replaces another.
    Quick mode reads -u as -c and -t as -d, and a path (brink /api/health --profile staging) joins --host.
    find-limit runs its own step ramp: it skips a stored load shape (-u, -t, -r, a plan) and refuses one typed.
    Profiles live in conf's config file (~/.config/brink/config.json on Linux; $BRINK_CONFIG_DIR overrides the directory).

  Start a scenario
    $ brink init [file.ts] [--pattern browse|form-login|api|upload|single] [--force]
      a starter from the example patterns (default scenario.ts, pattern browse); --force overwrites
    $ brink init --from-openapi <spec.json|spec.yaml> [file.ts]
      one named task per operation (OpenAPI 3.0/3.1, Swagger 2.0), reads weighted above writes, auth as a TODO

  Keys in the live view
    + -  users by the step   [ ]  step size   p  hold the plan   n  next stage / back to plan
    b    back to baseline and time the recovery   ↑↓ select   s sort   tab view   f  freeze   ?  help   q  quit

  Exit codes
    0 done · 1 brink failed · 2 bad usage or bad scenario · 3 brink compare found a regression · 99 a threshold failed

  Examples
    $ brink demo
    $ brink run scenarios/shop-api.ts --host http://127.0.0.1:8000 -u 50 -r 10 -t 5m
    $ brink run scenarios/browse.ts --host http://127.0.0.1:8000 -u 20 -t 1m --headless --json out.json
    $ brink run scenarios/shop-api.ts -u 100 --step-users 10 --step-time 30s --headless \\
        --json run.json --csv run --html report.html --md release.md --release $(git -C ../shop rev-parse --short HEAD)
    $ brink compare baseline.json run.json --tolerance 15%
    $ brink init checkout.ts --pattern api && brink run checkout.ts --profile staging
    $ brink http://127.0.0.1:8000/user/123 -c 100 -d 30s
    $ brink http://127.0.0.1:8000/api/orders -m POST -H 'Content-Type: application/json' --body '{"product_id":1}'
`;
