import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { USER_DATA_KEYS } from '../../runner/render/fields.ts';
import { jsonInScript, renderReport, type ActivationReport } from '../../runner/report/page.ts';

/** Markup a source row or Snap's answer may hold: it must reach the page as text, never as markup. */
const HOSTILE = '</script><img src=x onerror=alert(1)><!--';

const none = { runs: 0, failed: 0, sent: 0, held_back: 0, refused: 0, retries: 0, mean_seconds: null, max_seconds: null, first_start: null, last_start: null };

function activation(overrides: Partial<ActivationReport> = {}): ActivationReport {
  return {
    name: 'orders',
    watermark: { cursor: HOSTILE, event_id: HOSTILE },
    totals: { ...none, runs: 1, sent: 2, mean_seconds: 1, max_seconds: 1, first_start: 1_800_000_000, last_start: 1_800_000_000 },
    bucket: 1,
    series: [{ ...none, bucket_start: 1_800_000_000, runs: 1, sent: 2, mean_seconds: 1, max_seconds: 1 }],
    coverage: { sent: 2, keys: Object.fromEntries(USER_DATA_KEYS.map((k) => [k, k === 'em' ? 2 : 0])), newest_event_time: 1_799_999_000, now: 1_800_000_100 },
    heldBack: { no_user_identifier: 3 },
    rejectedView: 'capi_sync.orders_rejected',
    refusals: { events: 1, answers: 1, top: [{ http_status: 400, message: HOSTILE, events: 1, last_at: 1_800_000_000, example_event_id: HOSTILE }] },
    schedule: { parts: { schedule: 'every 15m', last: '2027-01-15T08:00:00Z (ok)', next: 'now' }, text: '', fields: { overdue: false } },
    alert: { status: 'warning', changed_at: 1_800_000_000 },
    ...overrides,
  };
}

/** The page with the contents of its script and style elements left out: the markup a browser builds. */
function markup(html: string): string {
  return html.replace(/(<script[^>]*>)[\s\S]*?(<\/script>)/g, '$1$2').replace(/(<style>)[\s\S]*?(<\/style>)/g, '$1$2');
}

describe('the report page', () => {
  const html = renderReport({ days: 30, generatedAt: new Date(1_800_000_100_000), warehouse: 'postgres, schema capi_sync', activations: [activation()] });

  it('shows warehouse strings as text: no element, attribute or comment comes from them', () => {
    const page = markup(html);
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<!--');
    expect(page).toContain('&lt;/script&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;&lt;!--');
    // Three script elements only, each closed where the page closes it.
    expect(html.match(/<script\b/g)).toHaveLength(3);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });

  it('the data is JSON a script element cannot end, and reads back as written', () => {
    const value = { message: HOSTILE, line: 'a\u2028b' };
    const json = jsonInScript(value);
    expect(json).not.toMatch(/[<\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
    const data = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(JSON.parse(data).activations[0].coverage).toEqual({ sent: 2, keys: USER_DATA_KEYS, events: USER_DATA_KEYS.map((k) => (k === 'em' ? 2 : 0)) });
  });

  it('allows no request and runs only its own two scripts, named by their hashes', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1].replaceAll('&#x27;', "'").replaceAll('&#x3D;', '=');
    expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[^']+' 'sha256-[^']+'; style-src 'sha256-[^']+'; img-src data:; base-uri 'none'; form-action 'none'$/);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
    expect(scripts).toHaveLength(2);
    for (const hash of scripts) expect(csp).toContain(hash);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(markup(html)).not.toMatch(/\b(src|href)="(?!#)/);
    // Chart.js is inside, without its source map comment (which devtools would fetch).
    expect(html).toContain('Chart.js v4.6.1');
    expect(html).not.toContain('sourceMappingURL');
  });

  it('an activation never run: empty panels, no chart data', () => {
    const empty = renderReport({
      days: 7, generatedAt: new Date(), warehouse: 'pglite, schema capi_sync',
      activations: [activation({ totals: none, series: [], coverage: { sent: 0, keys: {}, newest_event_time: null, now: 0 }, heldBack: null, refusals: { events: 0, answers: 0, top: [] }, alert: null, watermark: null })],
    });
    expect(empty).not.toContain('<canvas');
    for (const text of ['No run in the last 7 days.', 'No event sent in the last 7 days.', 'The views are not deployed yet', 'Snap refused no event in the last 7 days.', 'no alert status yet']) expect(empty).toContain(text);
    expect(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(empty)![1]).toBe('{"activations":[{"runs":null,"coverage":null}]}');
  });
});
