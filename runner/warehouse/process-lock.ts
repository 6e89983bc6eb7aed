import { readFileSync } from 'node:fs';
import { link, open, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { WarehouseBusyError, WarehouseError } from '../errors.ts';

/** Who holds a lock: the pid, and the process's start time where the OS tells it (Linux). */
interface Holder {
  pid: number;
  start?: string;
}

/** A takeover guard older than this was left by a process killed while taking over; it is removed. */
const STALE_GUARD_MS = 10_000;

/**
 * Locks a directory to this process with a `<dir>.lock` file naming the holder. A lock whose holder
 * is gone (kill -9) is taken over, so a crash never leaves the warehouse locked; the start time tells
 * a dead holder from a new process that got the same pid (containers reuse pids on every start).
 */
export async function lockDirectory(dir: string): Promise<() => Promise<void>> {
  const file = `${dir}.lock`;
  const me: Holder = { pid: process.pid, start: startTime(process.pid) };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await create(file, JSON.stringify(me))) return () => unlink(file).catch(() => {});
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue; // released meanwhile
    const holder = parse(text);
    if (holder && alive(holder)) {
      throw new WarehouseBusyError(`the embedded warehouse ${dir} is in use by ${holder.pid === process.pid ? 'this process' : `another capi-sync (pid ${holder.pid})`}; wait for it to finish, or stop it`);
    }
    await removeStale(file, text);
  }
  throw new WarehouseError(`cannot lock the embedded warehouse ${dir}: remove ${file} if no capi-sync is running`);
}

// Written aside, then linked into place: the lock file never exists without its holder in it.
async function create(file: string, content: string): Promise<boolean> {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(temp, content);
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    return createInPlace(file, content); // a filesystem without hard links
  } finally {
    await unlink(temp).catch(() => {});
  }
}

async function createInPlace(file: string, content: string): Promise<boolean> {
  try {
    await writeFile(file, content, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Removes a dead holder's lock, under a guard file so that two runners starting after a crash cannot
 * both remove it (the second would delete the first one's fresh lock and both would go on).
 */
async function removeStale(file: string, staleText: string): Promise<void> {
  const guard = `${file}.takeover`;
  let handle;
  try {
    handle = await open(guard, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const age = await stat(guard).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > STALE_GUARD_MS) await unlink(guard).catch(() => {});
    else await sleep(20);
    return;
  }
  try {
    if ((await readFile(file, 'utf8').catch(() => undefined)) === staleText) await unlink(file).catch(() => {});
  } finally {
    await handle.close();
    await unlink(guard).catch(() => {});
  }
}

// Older lock files hold the bare pid.
function parse(text: string): Holder | undefined {
  try {
    const value = JSON.parse(text) as Partial<Holder> | number;
    if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? { pid: value } : undefined;
    return typeof value?.pid === 'number' ? { pid: value.pid, start: value.start } : undefined;
  } catch {
    return undefined;
  }
}

function alive(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = startTime(holder.pid);
  if (holder.start !== undefined && start !== undefined) return start === holder.start;
  // Without start times, our own pid in the file can only be a previous life of this pid.
  return holder.pid !== process.pid;
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot (Linux only). */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
