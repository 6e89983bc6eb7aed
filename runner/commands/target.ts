import { startSandbox, type Sandbox } from '../sandbox/server.ts';
import type { Project } from './project.ts';

/** Where events go: the real Snap, a URL of the user's, or the built-in sandbox. */
export interface SyncTarget {
  /** Base URL to post to (the real Snap, or a sandbox's). */
  endpoint: string;
  token: string;
}

/** The token the built-in sandbox expects when none is configured. */
const SANDBOX_TOKEN = 'sandbox-token';

/** Runs `work` against the configured endpoint, starting the in-process sandbox for `endpoint: sandbox`. */
export async function withTarget<T>(project: Pick<Project, 'config' | 'log'>, work: (target: SyncTarget, sandbox?: Sandbox) => Promise<T>): Promise<T> {
  const { config, log } = project;
  if (config.snapchat.endpoint !== 'sandbox') {
    return work({ endpoint: config.snapchat.endpoint, token: config.snapchat.access_token! });
  }
  const token = config.snapchat.access_token ?? SANDBOX_TOKEN;
  const sandbox = await startSandbox({ token });
  log.info(`endpoint: the built-in Snap sandbox (${sandbox.url}); nothing leaves this machine`);
  try {
    return await work({ endpoint: sandbox.url, token }, sandbox);
  } finally {
    await sandbox.close();
  }
}
