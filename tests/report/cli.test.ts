import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../support/cli.ts';

/** `capi-sync report` and status's coverage line through the real CLI, on a copy of the example project. */
describe('capi-sync report and status on the example project', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-sync-report-cli-'));
    for (const part of ['activations.yml', 'models', 'seeds']) await cp(join(ROOT, part), join(dir, part), { recursive: true });
  });

  it('before anything is deployed: exit 1, saying to deploy first', async () => {
    const result = await runCli(['report'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('run `capi-sync deploy`');
  });

  it('a period that is not a whole number of days is a usage error (exit 2), and nothing is written', async () => {
    for (const days of ['0', '1.5', 'week']) {
      const result = await runCli(['report', '--days', days], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`option '--days <n>' argument '${days}' is invalid`);
    }
  });

  it('status: coverage and lag in one line, and as JSON fields', async () => {
    const first = await runCli(['run'], { cwd: dir });
    expect(first.code).toBe(0);
    const sent = Number(/sent (\d+) event/.exec(first.stdout)![1]);
    const text = await runCli(['status'], { cwd: dir });
    expect(text.stdout).toMatch(new RegExp(`^  match keys: em \\d+%, ph \\d+%, fn \\d+%, ln \\d+%, ct \\d+%, zp \\d+%, country 100% of ${sent} event\\(s\\) sent in 30 days; lag \\d+m$`, 'm'));
    const json = JSON.parse((await runCli(['status', '--log-format', 'json'], { cwd: dir })).stdout);
    expect(json.coverage).toMatchObject({ days: 30, sent, keys: { country: sent, ge: 0, external_id: 0 } });
    expect(json.coverage.keys.em).toBeGreaterThan(0);
    expect(json.lag_seconds).toBeGreaterThan(0);
  });

  it('writes the file where --out says, and tells it as a JSON line with --log-format json', async () => {
    const out = join(dir, 'reports', 'june.html');
    const result = await runCli(['report', '--out', out, '--days', '7', '--log-format', 'json'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toMatchObject({ level: 'info', days: 7, activations: ['store_purchases'], file: 'reports/june.html' });
    const html = await readFile(out, 'utf8');
    expect(html).toContain('The last 7 days');
    expect(html).toContain('Chart.js v4.6.1');
  });
});
