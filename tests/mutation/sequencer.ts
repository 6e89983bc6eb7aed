import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that failed last time first (they killed the mutant before), then the quickest: a mutant's run
 * stops at its first failing test, so a mutant the unit tests kill never waits for the slow files.
 * (Vitest's own order runs the longest files first, to spread them over its workers.)
 */
export class QuickFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const known = (file: TestSpecification) => this.ctx.cache.getFileTestResults(`${file.project.name}:${relative(this.ctx.config.root, file.moduleId)}`);
    const size = (file: TestSpecification) => this.ctx.cache.getFileStats(`${file.project.name}:${relative(this.ctx.config.root, file.moduleId)}`)?.size ?? 0;
    return [...files].sort((a, b) => {
      const [x, y] = [known(a), known(b)];
      if (x?.failed !== y?.failed) return x?.failed ? -1 : 1;
      return x && y ? x.duration - y.duration : size(a) - size(b);
    });
  }
}
