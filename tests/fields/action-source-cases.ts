/**
 * Rows of WEB, MOBILE_APP and OFFLINE events, mapped by ACTION_SOURCES_ACTIVATION with every app_data
 * field, and the reason each is held back for (null: sent). Run by action-sources.test.ts on PGlite and
 * Postgres.
 */
export const EXTINFO = `a2,com.example.app,7,7.0,14,Pixel,en_US,GMT,c,1080,2400,2.75,8,128,64,Europe/London`;

export const ACTION_SOURCE_COLUMNS = {
  id: 'text', t: 'timestamptz', src: 'text', url: 'text', ext: 'text', ate: 'text', mail: 'text',
  app: 'text', camp: 'text', referrer: 'text', pkg: 'text', schemes: 'text', win: 'text',
};
type Column = keyof typeof ACTION_SOURCE_COLUMNS;

/** The app row's app_data columns, as written, and as Snap receives them. */
export const APP_DATA_ROW: Partial<Record<Column, string>> = {
  app: ' 1234567890 ', camp: 'c-1', referrer: 'utm_source=snap', pkg: 'com.android.vending', schemes: ' fb123, myapp ', win: 'win-attr-1',
};
export const APP_DATA_SENT = {
  app_id: '1234567890', campaign_ids: 'c-1', install_referrer: 'utm_source=snap', installer_package: 'com.android.vending',
  url_schemes: ['fb123', 'myapp'], windows_attribution_id: 'win-attr-1',
};

export const ACTION_SOURCE_ROWS: [string, Partial<Record<Column, string>>, string | null][] = [
  ['web-ok', { src: 'WEB', url: 'https://shop.example.com/' }, null],
  ['web-no-url', { src: 'WEB' }, 'missing_event_source_url'],
  ['web-bad-url', { src: 'web', url: 'shop.example.com/basket' }, 'missing_event_source_url'],
  ['app-ok', { src: 'MOBILE_APP', ext: EXTINFO, ate: 'false', ...APP_DATA_ROW }, null],
  ['app-no-extinfo', { src: 'mobile_app', ate: 'true' }, 'missing_app_data'],
  ['app-short-extinfo', { src: 'MOBILE_APP', ext: 'a2,x,y', ate: 'true' }, 'missing_app_data'],
  ['app-no-tracking-flag', { src: 'MOBILE_APP', ext: EXTINFO, ate: 'perhaps' }, 'missing_app_data'],
  ['offline-ok', { src: 'offline' }, null],
  ['store', { src: 'store' }, 'invalid_action_source'],
  ['no-source', {}, 'invalid_action_source'],
];

/** Field name → the column of ACTION_SOURCE_COLUMNS it is mapped to. */
export const ACTION_SOURCE_MAPPING: Record<string, Column> = {
  event_time: 't', event_id: 'id', email: 'mail', action_source: 'src', event_source_url: 'url', extinfo: 'ext', advertiser_tracking_enabled: 'ate',
  app_id: 'app', campaign_ids: 'camp', install_referrer: 'referrer', installer_package: 'pkg', url_schemes: 'schemes', windows_attribution_id: 'win',
};

export const actionSourcesActivation = (source: string, extra = '') => `
  sources:
    pixel_id: p
    event_name: SIGN_UP
    source: ${source}
    mapping: { ${Object.entries(ACTION_SOURCE_MAPPING).map(([field, column]) => `${field}: ${column}`).join(', ')} }${extra}
`;
