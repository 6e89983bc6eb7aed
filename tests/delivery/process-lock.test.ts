import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockDirectory } from '../../runner/warehouse/process-lock.ts';
import { ROOT } from '../support/cli.ts';

let base: string;
let dir: string;
const children: ChildProcess[] = [];
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'capi-sync-lock-'));
  dir = join(base, 'warehouse');
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await rm(base, { recursive: true, force: true });
});

/** Another process that takes the lock on `dir` and holds it until killed. */
async function holder(): Promise<ChildProcess> {
  const script = `
    const { register } = await import('tsx/esm/api');
    register();
    const { lockDirectory } = await import(${JSON.stringify(join(ROOT, 'runner/warehouse/process-lock.ts'))});
    await lockDirectory(${JSON.stringify(dir)});
    process.stdout.write('locked\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`the lock holder exited with ${code}`)));
  });
  return child;
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('the embedded warehouse lock (one process per PGlite data directory)', () => {
  it('is taken, names its holder, and is gone once released', async () => {
    const release = await lockDirectory(dir);
    expect(JSON.parse(await readFile(`${dir}.lock`, 'utf8')).pid).toBe(process.pid);
    await release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it('refuses a directory another live capi-sync holds, and is free once that one is killed with -9', async () => {
    const other = await holder();
    await expect(lockDirectory(dir)).rejects.toThrow(`is in use by another capi-sync (pid ${other.pid}); wait for it to finish`);
    other.kill('SIGKILL');
    await new Promise((resolve) => other.on('exit', resolve));
    const release = await lockDirectory(dir);
    await release();
  });

  it('takes over a lock left by a process that is gone (the old bare-pid form too)', async () => {
    await writeFile(`${dir}.lock`, String(await deadPid()));
    const release = await lockDirectory(dir);
    expect(JSON.parse(await readFile(`${dir}.lock`, 'utf8')).pid).toBe(process.pid);
    await release();
  });

  it.skipIf(!existsSync('/proc/self/stat'))('takes over a lock whose pid now belongs to another process (pids are reused, in containers at every start)', async () => {
    const unrelated = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    children.push(unrelated);
    await writeFile(`${dir}.lock`, JSON.stringify({ pid: unrelated.pid, start: '1' }));
    const release = await lockDirectory(dir);
    await release();
  });

  it('lets exactly one of several runners that find the same stale lock take it over', async () => {
    await writeFile(`${dir}.lock`, JSON.stringify({ pid: await deadPid(), start: '1' }));
    const attempts = await Promise.allSettled(Array.from({ length: 8 }, () => lockDirectory(dir)));
    const won = attempts.filter((a) => a.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const lost of attempts.filter((a) => a.status === 'rejected')) {
      expect(String((lost as PromiseRejectedResult).reason)).toContain('is in use by this process');
    }
  });
});
