// Start-up: from spawning a generator to the first request its target sees, and the CPU a 1 s run costs
// in all. A quick check before a deploy is often a few seconds long, and start-up is then a good part of it.
// The target is a node:http server in this (otherwise idle) process, so the first request is timed on the
// same clock as the spawn.
import http from 'node:http';
import {median, runGenerator} from './proc.mjs';

/** `tools(url)`: the generator specs of one round; each runs `rounds` times, in an order that rotates. */
export async function measureStartup({rounds, tools, cwd, log}) {
  let first;
  const server = http.createServer((req, res) => {
    first ??= performance.now();
    if (req.url === '/s/login') res.setHeader('set-cookie', 'sid=bench-session; Path=/; HttpOnly');
    else if (req.url.startsWith('/s/') && !(req.headers.cookie ?? '').includes('sid=bench-session')) res.statusCode = 401;
    res.end('hello world\n');
  });
  server.keepAliveTimeout = 120_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  const rows = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const specs = tools(url);
      for (const spec of specs.map((_, i) => specs[(i + round) % specs.length])) {
        first = undefined;
        const spawnedAt = performance.now();
        const res = await runGenerator(spec.cmd, spec.args, {cwd, timeoutMs: 60_000});
        const row = {
          tool: spec.tool,
          round,
          firstRequestMs: first === undefined ? null : Math.round(first - spawnedAt),
          cpuMs: Math.round(res.cpu * 1000),
          wallMs: Math.round(res.wallS * 1000),
        };
        rows.push(row);
        log(
          `  startup · ${spec.tool.padEnd(16)} first request after ${String(row.firstRequestMs).padStart(5)} ms · a 1 s run: ${row.cpuMs} ms CPU, ${row.wallMs} ms wall`,
        );
      }
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
  const byTool = new Map();
  for (const r of rows) byTool.set(r.tool, [...(byTool.get(r.tool) ?? []), r]);
  return [...byTool].map(([tool, rs]) => ({
    tool,
    rounds: rs.length,
    firstRequestMs: median(rs.map((r) => r.firstRequestMs).filter((x) => x !== null)),
    cpuMs: median(rs.map((r) => r.cpuMs)),
    wallMs: median(rs.map((r) => r.wallMs)),
  }));
}
