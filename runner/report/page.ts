import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Handlebars from 'handlebars';
import type { Timing } from '../commands/scheduling.ts';
import { MACROS_DIR } from '../render/render.ts';
import { formatSeconds } from '../schedule/schedule.ts';
import { lagSeconds, type Coverage, type Refusals, type RunFigures } from '../state/history.ts';
import { formatWatermark, type AlertStatus, type Watermark } from '../state/state.ts';
import { percent } from './format.ts';

/** What the report shows of one activation: the warehouse's figures, read by commands/report.ts. */
export interface ActivationReport {
  name: string;
  watermark: Watermark | null;
  /** The period's runs, all together. */
  totals: RunFigures;
  /** Seconds of start time per bar of the runs chart; 1: one bar per run. */
  bucket: number;
  series: RunFigures[];
  coverage: Coverage;
  /** Rows the rejected view holds back now, by reason; null when the activation's views are not deployed. */
  heldBack: Record<string, number> | null;
  /** schema.view of those rows, for people to query. */
  rejectedView: string;
  refusals: Refusals;
  schedule: Timing;
  alert: { status: AlertStatus; changed_at: number | null } | null;
}

export interface ReportInput {
  days: number;
  generatedAt: Date;
  /** The warehouse for people: its type and schema (never a URL: it may hold a password). */
  warehouse: string;
  activations: ActivationReport[];
}

// The page's parts, beside this module in the package (the runner may run bundled from elsewhere).
const HERE = join(dirname(MACROS_DIR), 'runner', 'report');
const read = (file: string) => readFileSync(file, 'utf8');

/**
 * The report as one HTML file that needs no network: styles, Chart.js's UMD build, the chart script and
 * the data are inline. Every warehouse-provided string goes through Handlebars' HTML escaping; the data
 * is JSON in which `<` is escaped, so no value can close its script element. The Content-Security-Policy
 * allows no request at all and only these two scripts (by hash), so that even a value the escaping
 * missed could not load or run anything.
 */
export function renderReport(input: ReportInput): string {
  const hb = Handlebars.create();
  const template = hb.compile(read(join(HERE, 'page.hbs')), { strict: true });
  const chartJs = scriptText(read(chartJsFile()));
  const charts = scriptText(read(join(HERE, 'charts.js')));
  const css = read(join(HERE, 'page.css'));
  const activations = input.activations.map(activationView);
  return template({
    days: input.days,
    generated: utc(input.generatedAt.getTime() / 1000),
    warehouse: input.warehouse,
    several: activations.length > 1,
    activations,
    css,
    chartJs,
    charts,
    data: jsonInScript({ activations: input.activations.map(chartData) }),
    csp: `default-src 'none'; script-src ${[chartJs, charts].map(sha256).join(' ')}; style-src ${sha256(css)}; img-src data:; base-uri 'none'; form-action 'none'`,
  });
}

/** Chart.js's UMD build, as installed (its package exports only the module builds, in the same folder). */
function chartJsFile(): string {
  return join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
}

/** A script's text made safe to inline: nothing in it can end its element, and no source map is fetched. */
function scriptText(text: string): string {
  return text.replace(/^\/\/# sourceMappingURL=.*$/m, '').replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--').trimEnd();
}

/** JSON for a `<script type="application/json">`: `<` (and the two line separators) escaped. */
export function jsonInScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

/** What the template shows of one activation: text only, escaped by the template. */
function activationView(a: ActivationReport, index: number) {
  const { totals: t, coverage: c, refusals } = a;
  const lag = lagSeconds(c);
  const key = (k: string, label: string) => ({ id: k, value: percent(c.keys[k] ?? 0, c.sent), label, note: c.sent ? `${count(c.keys[k] ?? 0)} of ${count(c.sent)} sent events` : 'nothing sent' });
  const held = a.heldBack === null ? null : Object.entries(a.heldBack);
  return {
    index,
    name: a.name,
    alert: alertView(a.alert),
    watermark: formatWatermark(a.watermark) ?? 'none yet (the next sync starts from the beginning)',
    timing: a.schedule.parts,
    overdue: a.schedule.fields.overdue === true,
    figures: [
      { id: 'sent', value: count(t.sent), label: 'sent to Snap', note: `in ${t.runs ? count(t.runs) : 'no'} run${t.runs === 1 ? '' : 's'}`, tone: '' },
      { id: 'held-back', value: count(t.held_back), label: 'held back', note: 'rows the views kept from Snap', tone: t.held_back > 0 ? 'warn' : '' },
      { id: 'refused', value: count(t.refused), label: 'refused by Snap', note: refusals.answers ? `${count(refusals.answers)} distinct answer${refusals.answers === 1 ? '' : 's'}` : 'none in the period', tone: t.refused > 0 ? 'bad' : '' },
      { id: 'lag', value: lag === null ? '–' : formatSeconds(lag), label: 'lag', note: lag === null ? 'nothing sent' : `newest sent event ${utc(c.newest_event_time!)}`, tone: '' },
      { ...key('em', 'with an email (em)'), tone: 'key' },
      { ...key('ph', 'with a phone (ph)'), tone: 'key' },
      { id: 'failed', value: count(t.failed), label: 'failed runs', note: t.runs ? `of ${count(t.runs)}; ${t.retries ? `${count(t.retries)} retries` : 'no retry'}` : 'no run', tone: t.failed > 0 ? 'bad' : '' },
    ],
    runs: t.runs > 0,
    runsCaption: a.bucket === 1 ? 'one bar per run' : `one bar per ${formatSeconds(a.bucket)} of start times, empty ones left out`,
    meanDuration: t.mean_seconds === null ? '–' : duration(t.mean_seconds),
    maxDuration: t.max_seconds === null ? '–' : duration(t.max_seconds),
    coverage: c.sent > 0,
    coverageSent: count(c.sent),
    keys: Object.entries(c.keys).map(([k, n]) => ({ key: k, events: count(n), share: percent(n, c.sent), none: n === 0 })),
    deployed: held !== null,
    heldBack: (held ?? []).map(([reason, n]) => ({ reason, rows: count(n) })),
    heldBackTotal: count((held ?? []).reduce((sum, [, n]) => sum + n, 0)),
    rejectedView: a.rejectedView,
    refusals: refusals.top.map((r) => ({
      status: r.http_status ?? '–', message: r.message, events: count(r.events), last: r.last_at === null ? '–' : utc(r.last_at), example: r.example_event_id ?? '–',
    })),
    refusedEvents: count(refusals.events),
    moreAnswers: refusals.answers > refusals.top.length ? count(refusals.answers - refusals.top.length) : null,
  };
}

function alertView(alert: ActivationReport['alert']) {
  if (!alert) return { status: 'none', text: 'no alert status yet' };
  return { status: alert.status, text: `${alert.status}${alert.changed_at === null ? '' : ` since ${utc(alert.changed_at)}`}` };
}

/** The chart script's data for one activation (null parts are not drawn). */
function chartData(a: ActivationReport) {
  const s = a.series;
  const label = (start: number) => (a.bucket >= 86_400 ? utc(start).slice(0, 10) : utc(start).slice(5, a.bucket === 1 ? 19 : 16).replace(' UTC', ''));
  return {
    runs: s.length === 0 ? null : {
      labels: s.map((b) => label(b.bucket_start!)),
      runs: s.map((b) => b.runs),
      sent: s.map((b) => b.sent),
      held_back: s.map((b) => b.held_back),
      refused: s.map((b) => b.refused),
      mean_seconds: s.map((b) => b.mean_seconds),
      max_seconds: a.bucket === 1 ? null : s.map((b) => b.max_seconds),
    },
    coverage: a.coverage.sent === 0 ? null : {
      sent: a.coverage.sent,
      keys: Object.keys(a.coverage.keys),
      events: Object.values(a.coverage.keys),
    },
  };
}

/** `2026-12-01 00:39:45 UTC` from Unix seconds. */
function utc(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A run's length: to the hundredth under ten seconds, else as formatSeconds writes spans. */
function duration(seconds: number): string {
  return seconds < 10 ? `${seconds.toFixed(2)} s` : formatSeconds(seconds);
}
