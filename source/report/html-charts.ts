// The HTML report's charts: a browser script (plain ES2017, no modules) that draws the data embedded in the
// page with uPlot, which the page carries inline. Kept as a string: it runs in the reader's browser, not in Node.
export const CHART_SCRIPT = String.raw`
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('brink-data').textContent);
  var charts = [];

  function clock(s) {
    s = Math.max(0, Math.round(s));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = h > 0 ? (m < 10 ? '0' : '') + m : String(m);
    return (h > 0 ? h + ':' : '') + mm + ':' + (r < 10 ? '0' : '') + r;
  }
  function ms(v) {
    if (v == null || isNaN(v)) return '–';
    if (v >= 10000) return (v / 1000).toFixed(1) + ' s';
    if (v >= 1000) return (v / 1000).toFixed(2) + ' s';
    if (v >= 100) return Math.round(v) + ' ms';
    if (v >= 10) return v.toFixed(1) + ' ms';
    return v.toFixed(2) + ' ms';
  }
  function num(v, digits) {
    if (v == null || isNaN(v)) return '–';
    return v.toLocaleString('en-US', {maximumFractionDigits: digits == null ? 1 : digits});
  }
  function pct(v) { return v == null || isNaN(v) ? '–' : (v * 100).toFixed(1) + ' %'; }
  function msAxis(u, splits) { return splits.map(function (v) { return v == null ? '' : v === 0 ? '0' : ms(v).replace(' ', ''); }); }

  // Alternate steps shaded under the series; breaking point, load drop and recovery as labelled lines.
  function decorations() {
    return {hooks: {
      drawClear: [function (u) {
        var ctx = u.ctx, top = u.bbox.top, height = u.bbox.height;
        ctx.save();
        ctx.fillStyle = 'rgba(40, 60, 90, 0.045)';
        D.steps.forEach(function (s, i) {
          if (i % 2 === 0) return;
          var x0 = u.valToPos(s.from, 'x', true), x1 = u.valToPos(s.to, 'x', true);
          var left = Math.max(u.bbox.left, Math.min(x0, x1)), right = Math.min(u.bbox.left + u.bbox.width, Math.max(x0, x1));
          if (right > left) ctx.fillRect(left, top, right - left, height);
        });
        ctx.restore();
      }],
      draw: [function (u) {
        var ctx = u.ctx, px = uPlot.pxRatio, top = u.bbox.top, bottom = u.bbox.top + u.bbox.height;
        ctx.save();
        ctx.font = (11 * px) + 'px system-ui, sans-serif';
        ctx.textBaseline = 'top';
        D.marks.forEach(function (m, i) {
          var x = Math.round(u.valToPos(m.at, 'x', true));
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
          ctx.strokeStyle = m.color; ctx.fillStyle = m.color; ctx.lineWidth = 1.5 * px;
          ctx.setLineDash([5 * px, 4 * px]);
          ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, bottom); ctx.stroke();
          ctx.setLineDash([]);
          var w = ctx.measureText(m.label).width;
          var tx = x + 4 * px + w > u.bbox.left + u.bbox.width ? x - 4 * px - w : x + 4 * px;
          ctx.fillText(m.label, tx, top + 3 * px + (i % 3) * 13 * px);
        });
        ctx.restore();
      }],
    }};
  }

  function make(id, opts, data) {
    var el = document.getElementById(id);
    if (!el) return null;
    if (D.t.length < 2) { el.innerHTML = '<div class="empty">Not enough intervals to draw a chart.</div>'; return null; }
    opts.width = Math.max(320, el.clientWidth || 1000);
    opts.height = opts.height || 260;
    opts.plugins = [decorations()];
    opts.cursor = {sync: {key: 'brink'}, drag: {x: true, y: false}};
    opts.legend = {live: true};
    opts.scales = opts.scales || {};
    opts.scales.x = {time: false};
    opts.series.forEach(function (s) { if (!s.points) s.points = {show: false}; });
    opts.series.unshift({label: 'elapsed', value: function (u, v) { return v == null ? '–' : clock(v); }});
    // Whole seconds on the time axis (tenths only for a run of a second or two), so no tick reads 0:02 twice.
    opts.axes.unshift({label: 'elapsed (m:ss)', labelSize: 18, incrs: timeIncrs, grid: {stroke: '#eef0f4'}, values: function (u, splits) {
      var step = splits.length > 1 ? splits[1] - splits[0] : 1;
      return splits.map(function (v) { return step < 1 ? v.toFixed(1) + ' s' : clock(v); });
    }});
    // Every chart keeps a right axis's room, so their plots line up under each other.
    if (!opts.axes.some(function (a) { return a.side === 1; })) opts.axes.push({side: 1, scale: opts.axes[1].scale, size: 64, label: '', labelSize: 18, grid: {show: false}, ticks: {show: false}, values: function (u, s) { return s.map(function () { return ''; }); }});
    var u = new uPlot(opts, [D.t].concat(data), el);
    charts.push({u: u, el: el});
    el.setAttribute('data-drawn', 'true');
    return u;
  }

  // A y axis on the left (side 3) or right (side 1), bound to its scale; values: a formatter, or uPlot's own.
  var TIME_INCRS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400];
  var timeIncrs = function (u, axis, min, max) { return max - min >= 3 ? TIME_INCRS.filter(function (i) { return i >= 1; }) : TIME_INCRS; };
  var COUNT_INCRS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000];
  var stepped = uPlot.paths.stepped({align: -1});

  var yAxis = function (label, scale, values, side) {
    var a = {label: label, scale: scale, labelSize: 18, size: 64, side: side || 3, grid: {show: side !== 1, stroke: '#eef0f4'}};
    if (values) a.values = values;
    return a;
  };

  // 1. Users and requests/s.
  (function () {
    var series = [
      // Users hold between changes: a step line (each point closes the interval it describes).
      {label: 'users', scale: 'users', stroke: '#2b6cd4', width: 2, paths: stepped, value: function (u, v) { return num(v, 0); }},
      {label: 'target users', scale: 'users', stroke: '#9aa7bd', width: 1, dash: [6, 4], paths: stepped, value: function (u, v) { return num(v, 0); }},
      {label: 'req/s', scale: 'rps', stroke: '#1f8a4c', width: 2, fill: 'rgba(31, 138, 76, 0.08)', value: function (u, v) { return num(v, 1); }},
    ];
    var data = [D.users, D.targetUsers, D.rps];
    if (D.rate) {
      series.push({label: 'target rate/s', scale: 'rps', stroke: '#7fbf98', width: 1, dash: [2, 3], value: function (u, v) { return num(v, 1); }});
      data.push(D.rate);
    }
    make('chart-load', {
      series: series,
      scales: {users: {range: function (u, min, max) { return [0, Math.max(1, max * 1.1)]; }}, rps: {range: function (u, min, max) { return [0, Math.max(1, max * 1.1)]; }}},
      axes: [Object.assign(yAxis('users', 'users'), {incrs: COUNT_INCRS}), yAxis('req/s', 'rps', null, 1)],
    }, data);
  })();

  // 2. Latency, whole run.
  var latencySeries = function () {
    return [
      {label: 'p50', stroke: '#2b6cd4', width: 2, value: function (u, v) { return ms(v); }},
      {label: 'p95', stroke: '#e08a00', width: 2, value: function (u, v) { return ms(v); }},
      {label: 'p99', stroke: '#c62f2f', width: 1.5, value: function (u, v) { return ms(v); }},
    ];
  };
  make('chart-latency', {
    series: latencySeries(),
    scales: {y: {range: function (u, min, max) { return [0, Math.max(1, max * 1.08)]; }}},
    axes: [yAxis('latency', 'y', msAxis)],
  }, [D.p50, D.p95, D.p99]);

  var noHistory = function (id) {
    var el = document.getElementById(id);
    if (el) el.innerHTML = '<div class="empty">This summary has no per-endpoint time series (it was written by an older brink).</div>';
  };
  var hasHistory = D.endpoints.some(function (e) { return e.rps.some(function (v) { return v != null; }); });

  // 3. p95 of every endpoint together: which one degrades first.
  var palette = ['#2b6cd4', '#e08a00', '#1f8a4c', '#c62f2f', '#7b4fd0', '#0f9fb0', '#b5477a', '#6b7a12', '#8a5a2b', '#4a5568'];
  (function () {
    var shown = D.endpoints.slice(0, 10);
    if (shown.length === 0) return;
    if (!hasHistory) return noHistory('chart-endpoints-p95');
    make('chart-endpoints-p95', {
      height: 300,
      series: shown.map(function (e, i) { return {label: e.label, stroke: palette[i % palette.length], width: 1.5, value: function (u, v) { return ms(v); }}; }),
      scales: {y: {range: function (u, min, max) { return [0, Math.max(1, max * 1.08)]; }}},
      axes: [yAxis('p95', 'y', msAxis)],
    }, shown.map(function (e) { return e.p95; }));
  })();

  // 4. One endpoint at a time: p50/p95/p99 and its requests/s.
  (function () {
    var select = document.getElementById('endpoint-select');
    if (!select || D.endpoints.length === 0) return;
    if (!hasHistory) { select.disabled = true; return noHistory('chart-endpoint'); }
    var pick = function (i) { var e = D.endpoints[i]; return [e.p50, e.p95, e.p99, e.rps]; };
    var series = latencySeries();
    series.push({label: 'req/s', scale: 'rps', stroke: '#9aa7bd', width: 1, dash: [4, 3], value: function (u, v) { return num(v, 1); }});
    var u = make('chart-endpoint', {
      series: series,
      scales: {y: {range: function (u, min, max) { return [0, Math.max(1, max * 1.08)]; }}, rps: {range: function (u, min, max) { return [0, Math.max(1, max * 1.1)]; }}},
      axes: [yAxis('latency', 'y', msAxis), yAxis('req/s', 'rps', null, 1)],
    }, pick(0));
    select.addEventListener('change', function () {
      if (u) u.setData([D.t].concat(pick(Number(select.value))));
    });
  })();

  // 5. Failures a second by kind, stacked: each bar drawn from zero to its running total, the largest first.
  (function () {
    if (D.kinds.length === 0) return;
    var totals = D.t.map(function () { return 0; });
    var stacked = D.kinds.map(function (k) {
      return k.perSec.map(function (v, i) { totals[i] += v || 0; return totals[i]; });
    });
    var bars = uPlot.paths.bars({size: [0.9, 40], align: -1});
    var series = [], data = [];
    for (var i = D.kinds.length - 1; i >= 0; i--) {
      (function (k, values) {
        series.push({label: k.name, stroke: k.color, fill: k.color, width: 0, paths: bars, points: {show: false},
          value: function (u, v, si, idx) { return idx == null ? '–' : num(k.perSec[idx], 1) + '/s'; }});
        data.push(values);
      })(D.kinds[i], stacked[i]);
    }
    series.push({label: 'failure rate', scale: 'rate', stroke: '#1d2330', width: 1.5, value: function (u, v) { return pct(v); }});
    data.push(D.failRate);
    make('chart-failures', {
      series: series,
      scales: {y: {range: function (u, min, max) { return [0, Math.max(1, max * 1.1)]; }}, rate: {range: function (u, min, max) { return [0, Math.max(0.01, max * 1.1)]; }}},
      axes: [yAxis('failures/s', 'y'), yAxis('failure rate', 'rate', function (u, s) { return s.map(function (v) { return v == null ? '' : Math.round(v * 1000) / 10 + '%'; }); }, 1)],
    }, data);
  })();

  var resizeTimer = 0;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      charts.forEach(function (c) { c.u.setSize({width: Math.max(320, c.el.clientWidth), height: c.u.height}); });
    }, 100);
  });
  document.documentElement.setAttribute('data-charts', String(charts.length));
})();
`;
