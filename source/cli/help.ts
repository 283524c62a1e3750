export const HELP = `
  Usage
    $ brink demo                                 live view against the built-in demo shop
    $ brink run <scenario.ts> --host <url>       run a TypeScript scenario
    $ brink <url>                                quick mode: one URL, back to back (like hey/wrk/oha)

  Run options (Locust's letters)
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

  Quick mode options (hey/wrk letters)
    -c, --connections <n>    concurrent connections (default 50)
    -d, --duration <dur>     stop after this long (default 10s)
    -m, --method <verb>      GET (default), POST, PUT, PATCH, DELETE, HEAD
    -H, --header 'K: v'      a request header, repeatable
        --body <text|@file>  request body (with @, read from a file)

  Common options
        --headless           no live view: progress lines, then the summary (also when not a terminal)
        --json <file>        write the summary as JSON
        --workers <n>        worker threads (default: one per core)
        --timeout <dur>      per-request timeout (default 30s)
        --step <n>           users added/removed by one + or - (default 10)
        --insecure           accept any TLS certificate
        --serve-only         (demo) only start the demo shop and print its URL
        --port <n>           (demo --serve-only) port for the demo shop (default: a free one)

  Keys in the live view
    + -  users by the step   [ ]  step size   p  hold the plan   n  next stage / back to plan
    b    back to baseline and time the recovery   ↑↓ select   s sort   tab view   ?  help   q  quit

  Exit codes
    0 done · 1 brink failed · 2 bad usage or bad scenario

  Examples
    $ brink demo
    $ brink run scenarios/shop-api.ts --host http://127.0.0.1:8000 -u 50 -r 10 -t 5m
    $ brink run scenarios/browse.ts --host http://127.0.0.1:8000 -u 20 -t 1m --headless --json out.json
    $ brink http://127.0.0.1:8000/user/123 -c 100 -d 30s
    $ brink http://127.0.0.1:8000/api/orders -m POST -H 'Content-Type: application/json' --body '{"product_id":1}'
`;
