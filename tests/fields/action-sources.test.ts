import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../runner/errors.ts';
import { ACTION_SOURCE_COLUMNS as COLUMNS, ACTION_SOURCE_ROWS as ROWS, APP_DATA_SENT, EXTINFO, actionSourcesActivation as activation } from './action-source-cases.ts';
import { HOUR, NOW, TARGETS, createTable, deploy, isoZ, readViews, type Harness } from './harness.ts';

// WEB and MOBILE_APP events carry what Snap's "Using the API" page asks of them (event_source_url;
// app_data with extinfo and advertiser_tracking_enabled), or are held back with a reason saying which.

for (const target of TARGETS) describe.skipIf(target.skip)(`action sources on ${target.name}`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await target.open();
    await createTable(h.warehouse, `${h.sourceSchema}.events`, COLUMNS, ROWS.map(([id, r]) => ({ id, t: isoZ(NOW - HOUR), mail: `${id}@example.com`, ...r })));
    await deploy(h.warehouse, activation(`${h.sourceSchema}.events`));
  });
  afterAll(async () => h?.close());

  it.each(ROWS.map(([id, , reason]) => [id, reason] as const))('%s → %s', async (id, reason) => {
    const { sent, held } = await readViews(h.warehouse, 'sources');
    if (reason === null) expect(sent.map((s) => s.event_id)).toContain(id);
    else expect(held.find((r) => r.event_id === id)?.reason).toBe(reason);
  });

  it('sends event_source_url and app_data as Snap names them', async () => {
    const { sent } = await readViews(h.warehouse, 'sources');
    const byId = new Map(sent.map((s) => [s.event_id, s.payload]));
    expect(byId.get('web-ok')).toMatchObject({ action_source: 'WEB', event_source_url: 'https://shop.example.com/' });
    expect(byId.get('app-ok')).toMatchObject({ action_source: 'MOBILE_APP' });
    expect(byId.get('app-ok')!.app_data).toEqual({ extinfo: EXTINFO.split(','), advertiser_tracking_enabled: false, ...APP_DATA_SENT });
    expect(byId.get('web-ok')!.app_data).toBeUndefined();
    expect(byId.get('offline-ok')!.action_source).toBe('OFFLINE');
  });

  it.each([
    ['a constant WEB without event_source_url', 'sources:\n    pixel_id: p\n    event_name: SIGN_UP\n    action_source: WEB\n    source: SRC_TABLE\n    mapping: { event_time: t, email: mail }', 'activations.sources.action_source: WEB events need event_source_url'],
    ['a constant MOBILE_APP without app_data', 'sources:\n    pixel_id: p\n    event_name: SIGN_UP\n    action_source: MOBILE_APP\n    source: SRC_TABLE\n    mapping: { event_time: t, email: mail, extinfo: ext }', 'MOBILE_APP events need advertiser_tracking_enabled'],
  ])('%s is a config error', async (_, yaml, message) => {
    const error = await deploy(h.warehouse, `  ${yaml.replace('SRC_TABLE', `${h.sourceSchema}.events`)}\n`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(message);
  });
});
