import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../support/cli.ts';

/** The README's first command, on a copy of the committed example (embedded warehouse + sandbox). */
describe('the example project', () => {
  it('sends the example events, explains what it held back, and sends nothing new the second time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'capi-sync-example-'));
    for (const part of ['activations.yml', 'models', 'seeds']) await cp(join(ROOT, part), join(dir, part), { recursive: true });

    const first = await runCli(['run'], { cwd: dir, env: { SNAP_CAPI_TOKEN: '', SNAP_PIXEL_ID: '' } });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const sent = Number(/sent (\d+) event/.exec(first.stdout)?.[1]);
    expect(sent).toBeGreaterThan(200);
    expect(first.stdout).toMatch(/held back by the view: .*1 event_too_old/);
    expect(first.stdout).toMatch(/1 event_in_future/);
    expect(first.stdout).toMatch(new RegExp(`sandbox: accepted ${sent} event`));

    const second = await runCli(['run'], { cwd: dir });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('sent 0 event(s)');
    expect(second.stdout).toContain('nothing new past the watermark');

    const status = await runCli(['status'], { cwd: dir });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('pending: 0 event(s)');
    expect(status.stdout).toMatch(/run .*: ok, sent 0/);
    expect(status.stdout).toMatch(new RegExp(`run .*: ok, sent ${sent}`));
  });

  it('says to deploy first when sync runs before anything was deployed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'capi-sync-example-'));
    for (const part of ['activations.yml', 'models', 'seeds']) await cp(join(ROOT, part), join(dir, part), { recursive: true });
    const sync = await runCli(['sync'], { cwd: dir });
    expect(sync.code).toBe(1);
    expect(sync.stdout + sync.stderr).toContain("capi-sync's tables in capi_sync are missing or from an older version: run `capi-sync deploy`");
    const status = await runCli(['status'], { cwd: dir });
    expect(status.stdout + status.stderr).toContain('run `capi-sync deploy`');
  });

  it('leaves nothing in the repository that git does not ignore', () => {
    // Run artefacts (.capi-sync/, target/) are ignored; this checks the ignore rules, not a run.
    const ignored = (path: string) => {
      try {
        execFileSync('git', ['check-ignore', '-q', path], { cwd: ROOT });
        return true;
      } catch {
        return false;
      }
    };
    expect(ignored('.capi-sync/warehouse/PG_VERSION')).toBe(true);
    expect(ignored('.capi-sync/warehouse.lock')).toBe(true);
    expect(ignored('target/store_purchases/outbound.sql')).toBe(true);
  });

  it('prints its version, as installed, for the orchestrator\'s logs', async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
