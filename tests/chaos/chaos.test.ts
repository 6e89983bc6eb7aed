import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../runner/sandbox/server.ts';
import { postgresReachable } from '../support/postgres.ts';
import { chaos } from './harness.ts';

// The long version, with tens of thousands of events and three kills: npm run chaos.
let snap: Sandbox;
beforeAll(async () => {
  snap = await startSandbox({ failureRate: 0.2, retryAfter: 1, retryAfterRate: 0.5 });
});
afterAll(() => snap.close());

const warehouse = postgresReachable ? 'postgres' : 'pglite';

describe('chaos', () => {
  it(`delivers every event through 20% faults, two clean stops and a kill -9 mid-run (${warehouse}); a clean stop leaves nothing accepted out of the ledger`, async () => {
    const report = await chaos({
      warehouse,
      events: 3000,
      endpoint: snap.url,
      stops: 2,
      kills: 1,
      snapchat: `batch_size: 100
        max_in_flight: 4
        request_timeout_seconds: 0.3
        retry: { max_retries: 8, min_timeout: 5, max_timeout: 50 }`,
      maxRuns: 6,
      deadlineMs: 120_000,
    });
    console.log(`chaos (${warehouse}): ${report.expected} expected, ${report.receivedUnique} received, ${report.missing} missing, ${report.duplicates} duplicate(s), ${report.unrecordedAfterStops} accepted but not in the ledger after a clean stop; runs ${report.runs.join(', ')}; ${report.requests} requests ${JSON.stringify(report.byStatus)}`);
    expect(report.expected).toBe(3000);
    expect(report.missing).toBe(0);
    expect(report.receivedUnique).toBe(3000);
    expect(report.accepted).toBe(report.receivedUnique + report.duplicates);
    expect(report.unrecordedAfterStops).toBe(0);
    expect(report.runs.slice(0, 2).every((run) => run === 'STOPPED 130' || run === '0')).toBe(true);
    expect(report.runs[2]).toBe('KILLED');
    expect(report.runs.at(-1)).toBe('0');
    const faults = Object.entries(report.byStatus).filter(([status]) => status !== '200');
    expect(faults.reduce((sum, [, n]) => sum + n, 0)).toBeGreaterThan(0);
  });
});
