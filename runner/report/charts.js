// The report's charts, drawn with Chart.js (inlined before this script) from the page's report-data JSON.
// Browser code, inlined into the page as it is: no module, no network.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var style = getComputedStyle(document.documentElement);
  var colour = function (name) { return style.getPropertyValue('--' + name).trim(); };
  var number = function (n) { return n.toLocaleString('en-US'); };

  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  // Drawn at twice the screen's pixels at least, so that charts stay sharp on paper.
  Chart.defaults.devicePixelRatio = Math.max(window.devicePixelRatio || 1, 2);
  Chart.defaults.font.family = style.fontFamily;
  Chart.defaults.color = colour('muted');
  Chart.defaults.borderColor = colour('line');
  Chart.defaults.plugins.legend.labels.boxWidth = 12;

  var axis = function (title, extra) {
    return Object.assign({ beginAtZero: true, title: { display: true, text: title } }, extra || {});
  };
  var timeAxis = { ticks: { autoSkip: true, maxRotation: 0 } };

  function eventsChart(canvas, runs) {
    var series = [['sent', 'sent', 'sent'], ['held back', 'held_back', 'held'], ['refused', 'refused', 'refused']];
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: runs.labels,
        datasets: series.map(function (s) {
          return { label: s[0], data: runs[s[1]], backgroundColor: colour(s[2]), stack: 'events', maxBarThickness: 36 };
        }),
      },
      options: {
        scales: { x: Object.assign({ stacked: true }, timeAxis), y: axis('events', { stacked: true, ticks: { precision: 0 } }) },
        plugins: {
          tooltip: { mode: 'index', callbacks: { footer: function (items) { var n = runs.runs[items[0].dataIndex]; return n + (n === 1 ? ' run' : ' runs'); } } },
        },
      },
    });
  }

  function durationChart(canvas, runs) {
    var datasets = [{ type: 'bar', label: runs.max_seconds ? 'mean' : 'seconds', data: runs.mean_seconds, backgroundColor: colour('duration'), maxBarThickness: 36, order: 2 }];
    if (runs.max_seconds) {
      datasets.push({ type: 'line', label: 'longest', data: runs.max_seconds, borderColor: colour('duration'), backgroundColor: colour('duration'), borderDash: [5, 4], pointRadius: 2, spanGaps: true, order: 1 });
    }
    return new Chart(canvas, {
      type: 'bar',
      data: { labels: runs.labels, datasets: datasets },
      options: {
        scales: { x: timeAxis, y: axis('seconds') },
        plugins: { legend: { display: datasets.length > 1 }, tooltip: { mode: 'index', intersect: false } },
      },
    });
  }

  function coverageChart(canvas, coverage) {
    var shares = coverage.events.map(function (n) { return (100 * n) / coverage.sent; });
    return new Chart(canvas, {
      type: 'bar',
      data: { labels: coverage.keys, datasets: [{ label: 'share of sent events', data: shares, backgroundColor: colour('key'), maxBarThickness: 16 }] },
      options: {
        indexAxis: 'y',
        scales: { x: axis('% of sent events', { max: 100, ticks: { callback: function (v) { return v + '%'; } } }), y: { ticks: { autoSkip: false } } },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (item) { return number(coverage.events[item.dataIndex]) + ' of ' + number(coverage.sent) + ' events'; } } },
        },
      },
    });
  }

  data.activations.forEach(function (a, i) {
    if (a.runs) {
      eventsChart(document.getElementById('events-' + i), a.runs);
      durationChart(document.getElementById('duration-' + i), a.runs);
    }
    if (a.coverage) coverageChart(document.getElementById('coverage-' + i), a.coverage);
  });

  // Chart.js does not see the print layout by itself: resize every chart when printing starts and ends.
  var resize = function () { Object.values(Chart.instances).forEach(function (chart) { chart.resize(); }); };
  window.addEventListener('beforeprint', resize);
  window.addEventListener('afterprint', resize);
  if (window.matchMedia) window.matchMedia('print').addEventListener('change', resize);
})();
