import { ledgerScenarios } from './scenarios.ts';

ledgerScenarios('pglite');
