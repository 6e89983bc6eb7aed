import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export interface Measured {
  ms: number;
  /** Peak resident set size of the process, in MB. */
  rssMb: number;
  stdout: string;
  stderr: string;
  code: number | null;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Runs a command to completion and reports its wall time and peak RSS: from GNU time when installed
 * (exact), else by sampling /proc/<pid>/status VmHWM, a high-water mark, until the process ends.
 */
export function measure(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measured> {
  const timed = existsSync(GNU_TIME);
  const [cmd, argv] = timed ? [GNU_TIME, ['-f', 'capi-bench-peak-kb=%M', command, ...args]] : [command, args];
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(cmd, argv, { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    let sampledKb = 0;
    const sample = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        sampledKb = Math.max(sampledKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {
        // the process has ended
      }
    }, 25);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => {
      clearInterval(sample);
      const ms = performance.now() - started;
      const reported = /capi-bench-peak-kb=(\d+)/.exec(stderr);
      const kb = reported ? Number(reported[1]) : sampledKb;
      done({ ms, rssMb: kb / 1024, stdout, stderr: stderr.replace(/capi-bench-peak-kb=\d+\n?/, ''), code });
    });
  });
}
