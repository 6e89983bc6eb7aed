import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../delivery/pg-project.ts';
import { ROOT, tempProject } from '../support/cli.ts';

const UNIT = join(ROOT, 'examples', 'systemd', 'capi-sync.service');
const analyzer = spawnSync('systemd-analyze', ['--version']).status === 0;
if (!analyzer) console.warn('SKIPPED: systemd-analyze is not installed; the unit is checked by parsing only');

/** `[Section]` → key → values (a key may repeat), as systemd reads a unit file. */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const unit: Record<string, Record<string, string[]>> = {};
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      unit[section] ??= {};
      continue;
    }
    const [key, ...value] = line.split('=');
    ((unit[section]!)[key!.trim()] ??= []).push(value.join('=').trim());
  }
  return unit;
}

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('examples/systemd/capi-sync.service', () => {
  it.skipIf(!analyzer)('passes systemd-analyze verify', () => {
    const result = spawnSync('systemd-analyze', ['verify', UNIT], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('stops as capi-sync stops: one SIGTERM to capi-sync itself, more time than its 20 s grace, 130 a clean stop, no restart after a config error', async () => {
    const unit = parseUnit(await readFile(UNIT, 'utf8'));
    const service = unit.Service!;
    expect(service.KillSignal).toEqual(['SIGTERM']);
    expect(service.KillMode).toEqual(['control-group']);
    expect(Number(service.TimeoutStopSec)).toBeGreaterThan(20);
    expect(service.SuccessExitStatus).toEqual(['130']);
    expect(service.RestartPreventExitStatus).toEqual(['2']);
    expect(service.Restart).toEqual(['on-failure']);
    expect(unit.Install!.WantedBy).toEqual(['multi-user.target']);
  });

  it('its ExecStart, run as systemd would in a folder where capi-sync is installed, serves and stops cleanly on its KillSignal', async () => {
    const service = parseUnit(await readFile(UNIT, 'utf8')).Service!;
    const [command, ...args] = service.ExecStart![0]!.split(/\s+/);
    // The folder the unit's WorkingDirectory stands for: capi-sync installed, an activations.yml beside it.
    const dir = await tempProject({ 'package.json': '{ "private": true, "dependencies": { "capi-sync": "*" } }' });
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, 'node_modules', '.bin'), { recursive: true });
    await symlink(ROOT, join(dir, 'node_modules', 'capi-sync'));
    await symlink(join('..', 'capi-sync', 'runner', 'bin.mjs'), join(dir, 'node_modules', '.bin', 'capi-sync'));
    await cp(join(ROOT, 'models'), join(dir, 'models'), { recursive: true });
    await cp(join(ROOT, 'seeds'), join(dir, 'seeds'), { recursive: true });
    const example = await readFile(join(ROOT, 'activations.yml'), 'utf8');
    await writeFile(join(dir, 'activations.yml'), example.replace(/schedule: \S+/, 'schedule: 1s'));

    // detached: a process group of its own, which gets the signal as a unit's control group does.
    const child = spawn(command!, args, { cwd: dir, detached: true, env: { ...process.env, SNAP_CAPI_TOKEN: 'sandbox-token' } });
    cleanup.push(async () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    await until(() => /"skipped_ticks"/.test(stdout) || child.exitCode !== null, 90_000, 'the first run under the unit\'s command');
    const lines = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line)); // --log-format json: one object a line
    expect(lines.find((l) => l.status === 'ok')).toMatchObject({ activation: 'store_purchases', sent: 222 });

    process.kill(-child.pid!, service.KillSignal![0] as NodeJS.Signals);
    await closed;
    expect(stderr).toContain('SIGTERM: stopping: no new runs');
    expect(stderr).not.toContain('abandoning requests in flight'); // one SIGTERM reached capi-sync, not two
    expect(stderr).not.toContain('exiting now');
  });
});
