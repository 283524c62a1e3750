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
