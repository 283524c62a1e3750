// The HTML report as a person opens it: made by a real run, rendered by headless Chromium (Debian's
// `chromium`) with the network off, checked through the DOM it built, the pixels its charts drew, and a
// screenshot. Skipped, saying so, only when /usr/bin/chromium is missing (.ci/run installs it).
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {execFile} from 'node:child_process';
import {copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {reportRun, type ReportRun} from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`skipping the HTML report browser test: ${CHROMIUM} is missing (apt-get install chromium)`);

/** Runs headless Chromium with no network, no first-run UI and a throwaway profile. */
function chromium(args: string[]): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'brink-chromium-'));
  return new Promise((resolve, reject) => {
    execFile(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
        '--no-default-browser-check',
        '--disable-extensions',
        `--user-data-dir=${profile}`,
        '--hide-scrollbars',
        ...args,
      ],
      {timeout: 90_000, maxBuffer: 32 * 1024 * 1024},
      (error, stdout, stderr) => {
        rmSync(profile, {recursive: true, force: true});
        if (error) reject(new Error(`chromium failed: ${error.message}\n${stderr.slice(-2000)}`));
        else resolve(stdout);
      },
    );
  });
}

// Appended to a copy of the report: after the charts drew, counts each chart canvas's coloured pixels (the
// series; grid and text are grey), then picks another endpoint in the selector and counts again.
const PROBE = `<script>
setTimeout(function () {
  function count(el) {
    var c = el.querySelector('canvas');
    if (!c) return {canvas: false};
    var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, coloured = 0, sig = 0;
    for (var i = 0; i < d.length; i += 4) {
      var mx = Math.max(d[i], d[i + 1], d[i + 2]), mn = Math.min(d[i], d[i + 1], d[i + 2]);
      if (d[i + 3] > 128 && mx - mn > 60) { coloured++; sig = (sig * 31 + i) % 1000000007; }
    }
    return {canvas: true, width: c.width, height: c.height, coloured: coloured, signature: sig};
  }
  var out = {charts: {}, legends: document.querySelectorAll('.u-legend').length};
  document.querySelectorAll('.chart').forEach(function (el) { out.charts[el.id] = count(el); });
  var select = document.getElementById('endpoint-select');
  out.options = Array.prototype.map.call(select.options, function (o) { return o.textContent; });
  select.value = String(select.options.length - 1);
  select.dispatchEvent(new Event('change'));
  setTimeout(function () {
    out.afterSelect = count(document.getElementById('chart-endpoint'));
    var pre = document.createElement('pre');
    pre.id = 'probe';
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  }, 200);
}, 300);
</script></body>`;

interface Probe {
  charts: Record<string, {canvas: boolean; width: number; height: number; coloured: number; signature: number}>;
  legends: number;
  options: string[];
  afterSelect: {coloured: number; signature: number};
}

/** PNG width and height from its IHDR chunk. */
function pngSize(file: string): {width: number; height: number} {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  return {width: b.readUInt32BE(16), height: b.readUInt32BE(20)};
}

describe.skipIf(!haveChromium)('HTML report in headless Chromium', () => {
  let run: ReportRun;
  let dir: string;
  beforeAll(async () => {
    run = await reportRun();
    dir = mkdtempSync(join(tmpdir(), 'brink-html-'));
  }, 60_000);
  afterAll(async () => {
    await run?.cleanup();
    if (dir) rmSync(dir, {recursive: true, force: true});
  });

  it('draws every chart: the DOM has uPlot charts and each canvas has coloured series on it', async () => {
    const probed = join(dir, 'probed.html');
    writeFileSync(probed, readFileSync(run.html, 'utf8').replace('</body>', PROBE));
    const dom = await chromium(['--virtual-time-budget=10000', '--window-size=1280,2000', '--dump-dom', pathToFileURL(probed).href]);
    expect(dom).toContain('data-charts="5"');
    expect((dom.match(/class="uplot/g) ?? []).length).toBe(5);
    const probe = JSON.parse(
      /<pre id="probe">([\s\S]*?)<\/pre>/
        .exec(dom)?.[1]
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&') ?? 'null',
    ) as Probe;
    expect(probe, 'the probe script ran').not.toBeNull();
    const ids = ['chart-load', 'chart-latency', 'chart-endpoint', 'chart-endpoints-p95', 'chart-failures'];
    expect(Object.keys(probe.charts).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const c = probe.charts[id];
      expect(c.canvas, id).toBe(true);
      expect(c.width, id).toBeGreaterThan(600);
      expect(c.coloured, `${id}: coloured pixels`).toBeGreaterThan(300);
    }
    expect(probe.legends).toBe(5);
    expect(probe.options.sort()).toEqual(['GET /fast', 'GET /slow', 'POST /orders']);
    // Another endpoint chosen: the chart redrew with other data.
    expect(probe.afterSelect.coloured).toBeGreaterThan(300);
    expect(probe.afterSelect.signature).not.toBe(probe.charts['chart-endpoint'].signature);
  }, 120_000);

  it('renders to a full, non-trivial screenshot', async () => {
    const png = join(dir, 'report.png');
    await chromium(['--virtual-time-budget=10000', '--window-size=1280,3600', `--screenshot=${png}`, pathToFileURL(run.html).href]);
    expect(existsSync(png)).toBe(true);
    expect(pngSize(png)).toEqual({width: 1280, height: 3600});
    // A blank or error page compresses to a few KB; charts, tables and text do not.
    expect(statSync(png).size).toBeGreaterThan(100_000);
    if (process.env.BRINK_REPORT_SCREENSHOT) copyFileSync(png, process.env.BRINK_REPORT_SCREENSHOT);
  }, 120_000);
});
