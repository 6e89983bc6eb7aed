import { appendFile, cp, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../runner/sandbox/server.ts';
import { ACTIVATION, pgProject, type PgProject } from '../delivery/pg-project.ts';
import { chromiumPath, openFile, type OpenedPage } from '../support/browser.ts';
import { ROOT, runCli } from '../support/cli.ts';
import { pgQuery, postgresReachable } from '../support/postgres.ts';

/**
 * `capi-sync report` as a user sees it: written by the real CLI after real runs, opened in headless
 * Chromium, and its figures compared with what SQL written here (not the report's macros) finds in the
 * warehouse. Screenshots (and a PDF of the print layout) go to test-results/.
 */
const ARTIFACTS = join(ROOT, 'test-results');

/** What the page shows of one activation, read from the DOM as text. */
interface Shown {
  figures: Record<string, string>;
  keys: Record<string, number>;
  reasons: Record<string, number>;
  refusals: string[][];
  empty: string[];
}

function shown(page: Page, activation: string): Promise<Shown> {
  return page.evaluate((name) => {
    const section = document.querySelector(`section[data-activation="${name}"]`)!;
    const n = (text: string | null | undefined) => Number((text ?? '').replace(/,/g, ''));
    const rows = (selector: string, key: string, cell: string) => Object.fromEntries([...section.querySelectorAll<HTMLElement>(selector)].map((tr) => [tr.dataset[key]!, n(tr.querySelector(cell)?.textContent)]));
    return {
      figures: Object.fromEntries([...section.querySelectorAll<HTMLElement>('[data-figure]')].map((e) => [e.dataset.figure!, e.textContent!])),
      keys: rows('tr[data-key]', 'key', '[data-events]'),
      reasons: rows('tr[data-reason]', 'reason', '[data-rows]'),
      refusals: [...section.querySelectorAll('table.refusals tbody tr')].map((tr) => [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent!)),
      empty: [...section.querySelectorAll('.empty')].map((e) => e.textContent!),
    };
  }, activation);
}

/** Each chart's canvas: whether Chart.js drew on it, and how many of its pixels have the series colour. */
function canvases(page: Page): Promise<{ id: string; chart: boolean; width: number; painted: number; coloured: number }[]> {
  return page.evaluate(() => [...document.querySelectorAll('canvas')].map((canvas) => {
    const colour = getComputedStyle(document.documentElement).getPropertyValue(canvas.id.startsWith('events') ? '--sent' : canvas.id.startsWith('duration') ? '--duration' : '--key').trim();
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0) painted++;
      if (data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255) coloured++;
    }
    // Chart is the page's own global, from the Chart.js build inlined in it.
    return { id: canvas.id, chart: Boolean((window as unknown as { Chart: { getChart(c: HTMLCanvasElement): unknown } }).Chart.getChart(canvas)), width: canvas.getBoundingClientRect().width, painted, coloured };
  }));
}

/** A page as a user gets it: no request but the file, no error, no dialog; every chart drawn; a screenshot and a PDF kept. */
async function expectHealthyPage(opened: OpenedPage, file: string, artifact: string, charts: number): Promise<void> {
  const { page } = opened;
  expect(opened.errors).toEqual([]);
  expect(opened.dialogs).toEqual([]);
  expect(opened.requests).toEqual([`file://${file}`]);
  const drawn = await canvases(page);
  expect(drawn).toHaveLength(charts);
  for (const c of drawn) {
    expect(c, c.id).toMatchObject({ chart: true });
    expect(c.coloured, `${c.id} has bars in its series colour`).toBeGreaterThan(50);
  }
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${artifact}.png`), fullPage: true });
  // The print layout: white, and every chart within the paper's width (A4 less its margins, at 96 dpi).
  await page.emulateMedia({ media: 'print' });
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(255, 255, 255)');
  await page.setViewportSize({ width: 700, height: 1000 });
  for (const c of await canvases(page)) expect(c.width, c.id).toBeLessThanOrEqual(700);
  await page.pdf({ path: join(ARTIFACTS, `${artifact}.pdf`), format: 'A4' });
  expect(opened.errors).toEqual([]);
  expect(opened.requests).toEqual([`file://${file}`]);
}

const count = (rows: Record<string, unknown>[], key = 'n') => Number(rows[0]?.[key] ?? 0);
const thousands = (n: number) => n.toLocaleString('en-US');

describe.skipIf(!chromiumPath)('the report in a browser', () => {
  describe('the example project (embedded warehouse)', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'capi-sync-report-'));
      for (const part of ['activations.yml', 'models', 'seeds']) await cp(join(ROOT, part), join(dir, part), { recursive: true });
      // A second activation, never deployed nor run: the report shows it empty.
      await appendFile(join(dir, 'activations.yml'), '  never_run:\n    pixel_id: px-never\n    event_name: SIGN_UP\n    source: shop.orders\n    mapping: { event_time: paid_at, email: customer_email }\n    cursor: loaded_at\n');
      for (let i = 0; i < 2; i++) expect((await runCli(['run', '-a', 'store_purchases'], { cwd: dir })).code).toBe(0);
    }, 120_000);

    /** Rows of a query through the CLI (the embedded warehouse opens in one process at a time). */
    async function query(sql: string): Promise<Record<string, unknown>[]> {
      const result = await runCli(['query', '--format', 'json', sql], { cwd: dir });
      expect(result.stderr).toBe('');
      return JSON.parse(result.stdout);
    }

    it('shows the figures the warehouse holds, draws every chart, and asks nothing of the network', async () => {
      const written = await runCli(['report'], { cwd: dir });
      expect(written).toMatchObject({ code: 0, stderr: '' });
      expect(written.stdout).toContain('wrote target/report.html: 2 activation(s), the last 30 days');
      const file = join(dir, 'target', 'report.html');

      const runs = await query(`select count(*) as runs, sum(sent) as sent, sum(rejected_by_view) as held, sum(rejected_by_snap) as refused, count(*) filter (where status = 'failed') as failed
        from capi_sync.capi_sync_runs where activation = 'store_purchases' and status not in ('skipped', 'reset')`);
      const sent = await query("select count(*) as n, max(event_time) as newest from capi_sync.capi_sync_ledger where activation = 'store_purchases' and status = 'accepted'");
      const keys = await query("select k, count(*) as n from capi_sync.capi_sync_ledger, unnest(string_to_array(match_keys, ',')) as k where activation = 'store_purchases' and status = 'accepted' group by k");
      const reasons = await query('select reason, count(*) as n from capi_sync.store_purchases_rejected group by reason');

      const opened = await openFile(file);
      try {
        const page = await shown(opened.page, 'store_purchases');
        expect(count(runs, 'runs')).toBe(2);
        expect(page.figures).toMatchObject({
          sent: thousands(count(runs, 'sent')), 'held-back': thousands(count(runs, 'held')), refused: '0', failed: '0',
          em: `${Math.floor((100 * Number(keys.find((k) => k.k === 'em')!.n)) / count(sent))}%`,
        });
        expect(count(runs, 'sent')).toBeGreaterThan(200);
        const byKey = Object.fromEntries(keys.map((k) => [String(k.k), Number(k.n)]));
        expect(Object.fromEntries(Object.entries(page.keys).filter(([, n]) => n > 0))).toEqual(byKey);
        expect(page.reasons).toEqual(Object.fromEntries(reasons.map((r) => [String(r.reason), Number(r.n)])));
        const newest = new Date(Number(sent[0].newest) * 1000).toISOString().slice(0, 19).replace('T', ' ');
        expect(await opened.page.textContent('section[data-activation="store_purchases"]')).toContain(`newest sent event ${newest} UTC`);
        expect(page.refusals).toEqual([]);

        const never = await shown(opened.page, 'never_run');
        expect(never.figures).toMatchObject({ sent: '0', lag: '–', failed: '0' });
        expect(never.empty).toEqual([
          'No run in the last 30 days.', 'No run in the last 30 days.', 'No event sent in the last 30 days.',
          expect.stringContaining('The views are not deployed yet: run capi-sync deploy'), 'Snap refused no event in the last 30 days.',
        ]);
        // Events, duration and coverage of the activation that ran; none for the other.
        await expectHealthyPage(opened, file, 'report-example', 3);
      } finally {
        await opened.close();
      }
    }, 120_000);
  });

  describe.skipIf(!postgresReachable)('a Postgres project after several runs, held-back rows and a refusal', () => {
    // Snap refuses this event: its id (and so Snap's message) is markup that must stay text.
    const HOSTILE = '</script><img src=x onerror="document.title=\'pwned\'">';
    let p: PgProject;
    let sandbox: Sandbox;
    beforeAll(async () => {
      p = await pgProject({
        events: 300,
        prefix: 'capi_report',
        // Phones on a third of the orders, first names on half: coverage that differs per key.
        model: `select id as order_id, paid_at as event_time, email, case when total % 3 = 0 then '+44 7700 900' || lpad(total::text, 3, '0') end as phone,
          case when total % 2 = 0 then 'Ada' end as first_name, total as value, cur as currency, loaded_at from {{source}}`,
      });
      sandbox = await startSandbox({ token: 'test-token', refuseEventIds: new Set([HOSTILE]) });
    });
    afterAll(async () => {
      await sandbox?.close();
      await p?.drop();
    });

    it('shows what the warehouse holds, with Snap\'s refusal as text', async () => {
      expect((await p.cli(['run'], sandbox.url)).code).toBe(0);
      // Held back: too old, and no identifier; then Snap's refusal.
      await pgQuery(`insert into "${p.source}".orders values
        ('held-old', now() - interval '30 days', clock_timestamp(), 'old@example.com', 11, 'EUR'),
        ('held-anon', now() - interval '1 hour', clock_timestamp(), null, 11, 'EUR'),
        ($1, now() - interval '1 hour', clock_timestamp(), 'x@example.com', 12, 'EUR')`, [HOSTILE]);
      expect((await p.cli(['run'], sandbox.url)).code).toBe(0);
      expect((await p.cli(['run'], sandbox.url)).code).toBe(0);
      const out = join(p.dir, 'out', 'health.html');
      expect(await p.cli(['report', '--out', out, '--days', '7'], sandbox.url)).toMatchObject({ code: 0, stderr: '' });

      const s = `"${p.schema}"`;
      const runs = await pgQuery(`select count(*) as runs, sum(sent) as sent, sum(rejected_by_view) as held, sum(rejected_by_snap) as refused from ${s}.capi_sync_runs where activation = $1`, [ACTIVATION]);
      const keys = await pgQuery(`select k, count(*) as n from ${s}.capi_sync_ledger, unnest(string_to_array(match_keys, ',')) as k where status = 'accepted' group by k`);
      const total = await pgQuery(`select count(*) as n from ${s}.capi_sync_ledger where status = 'accepted'`);
      const reasons = await pgQuery(`select reason, count(*) as n from ${s}.${ACTIVATION}_rejected group by reason`);
      const errors = await pgQuery(`select http_status, message, event_id from ${s}.capi_sync_delivery_errors`);
      expect(count(runs, 'runs')).toBe(3);
      expect(count(runs, 'refused')).toBe(1);
      expect(errors).toEqual([expect.objectContaining({ http_status: 400, event_id: HOSTILE, message: expect.stringContaining(HOSTILE) })]);

      const opened = await openFile(out);
      try {
        const page = await shown(opened.page, ACTIVATION);
        expect(page.figures).toMatchObject({ sent: thousands(count(runs, 'sent')), 'held-back': thousands(count(runs, 'held')), refused: '1', failed: '0' });
        expect(count(total)).toBe(300);
        expect(Object.fromEntries(Object.entries(page.keys).filter(([, n]) => n > 0))).toEqual(Object.fromEntries(keys.map((k) => [String(k.k), Number(k.n)])));
        expect(page.keys.ph).toBe(100);
        expect(page.figures.ph).toBe('33%');
        expect(page.reasons).toEqual(Object.fromEntries(reasons.map((r) => [String(r.reason), Number(r.n)])));
        expect(page.reasons).toMatchObject({ event_too_old: 1, no_user_identifier: 1 });
        // The refusal, its message and its event_id shown as the text they are; nothing of them ran.
        expect(page.refusals).toEqual([['400', errors[0].message, '1', expect.stringMatching(/ UTC$/), HOSTILE]]);
        expect(await opened.page.locator('img').count()).toBe(0);
        expect(await opened.page.title()).not.toBe('pwned');
        await expectHealthyPage(opened, out, 'report-postgres', 3);
      } finally {
        await opened.close();
      }
    }, 120_000);
  });
});
