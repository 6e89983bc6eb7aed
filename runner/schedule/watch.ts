import { createHash } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import { resolve } from 'node:path';

/** Ms between two looks at the watched files. */
const POLL_MS = 1000;

/**
 * Notices when the config file, or a model file it names, changes. Polls the files' status instead of
 * listening for events: editors that save by renaming, and Kubernetes ConfigMaps that swap a symlink,
 * replace the file an event watch was on. A change that leaves the text as it was (a touch) is none.
 */
export class ConfigWatch {
  private files: string[] = [];
  private fingerprint = '';
  private dirty = false;
  private readonly listener = (current: Stats, previous: Stats) => {
    if (current.mtimeMs === previous.mtimeMs && current.size === previous.size && current.ino === previous.ino) return;
    if (fingerprint(this.files) === this.fingerprint) return;
    this.dirty = true;
    this.onChange();
  };

  constructor(private readonly onChange: () => void) {}

  /** Watches this config's file and models (instead of the previous ones). */
  track(config: { file: string; dir: string; activations: Record<string, { model?: string }> }): void {
    this.close();
    const models = Object.values(config.activations).flatMap((a) => (a.model ? [resolve(config.dir, a.model)] : []));
    this.files = [config.file, ...new Set(models)];
    this.fingerprint = fingerprint(this.files);
    this.dirty = false;
    // Not persistent: the watch alone does not keep the process running.
    for (const file of this.files) watchFile(file, { interval: POLL_MS, persistent: false }, this.listener);
  }

  /** True once after the watched text changed. */
  changed(): boolean {
    const dirty = this.dirty;
    this.dirty = false;
    return dirty;
  }

  close(): void {
    for (const file of this.files) unwatchFile(file, this.listener);
  }
}

function fingerprint(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = '\0missing';
    }
    hash.update(`${file}\0${text}\0`);
  }
  return hash.digest('hex');
}

/** A wait that ends at its time, at `stop`, or as soon as `wake()` is called. */
export class Wakeup {
  private pending: (() => void) | undefined;
  private early = false;

  wake(): void {
    this.early = true;
    this.pending?.();
  }

  wait(ms: number, stop: AbortSignal): Promise<void> {
    if (this.early || stop.aborted) {
      this.early = false;
      return Promise.resolve();
    }
    return new Promise((done) => {
      const finish = () => {
        clearTimeout(timer);
        stop.removeEventListener('abort', finish);
        this.pending = undefined;
        this.early = false;
        done();
      };
      const timer = setTimeout(finish, ms);
      stop.addEventListener('abort', finish, { once: true });
      this.pending = finish;
    });
  }
}
