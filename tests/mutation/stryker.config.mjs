// @ts-check
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'tests/mutation/vitest.config.ts' },
  checkers: ['typescript'],
  // The runner alone: the checker re-checks what a mutant's file touches, and the tests add nothing to that.
  tsconfigFile: 'tests/mutation/tsconfig.json',
  coverageAnalysis: 'perTest',
  mutate: ['runner/snap/**/*.ts', 'runner/state/**/*.ts', 'runner/config/**/*.ts', 'runner/commands/sync.ts'],
  incremental: true,
  incrementalFile: 'tests/mutation/incremental.json',
  reporters: ['progress', 'clear-text', 'html'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  ignorePatterns: ['bench', 'examples', '.capi-sync', 'target'],
};
