import { open, readFile, unlink } from 'node:fs/promises';
import { WarehouseError } from '../errors.ts';

/**
 * Locks a directory to this process with a `<dir>.lock` file holding the pid. A lock whose process
 * is gone (kill -9) is taken over, so a crash never leaves the warehouse locked.
 */
export async function lockDirectory(dir: string): Promise<() => Promise<void>> {
  const file = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => unlink(file).catch(() => {});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (pid && pid !== process.pid && alive(pid)) {
        throw new WarehouseError(`the embedded warehouse ${dir} is in use by another capi-sync (pid ${pid}); wait for it to finish`);
      }
      await unlink(file).catch(() => {});
    }
  }
  throw new WarehouseError(`cannot lock the embedded warehouse ${dir}: remove ${file} if no capi-sync is running`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
