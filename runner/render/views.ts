import type { ActivationConfig } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';
import { ACTION_SOURCES, FIELDS, FIELD_NAMES, SNAP_EVENT_NAMES, canonicalField, type FieldName, type FieldSpec } from './fields.ts';
import { phoneMacroOptions } from './phone-codes.ts';
import { COUNTRY_KEYS, REGION_KEYS, asJsonObject } from './places.ts';
import type { Renderer } from './render.ts';

/** The input of one activation's views: what the model or the mapping provides. */
export interface ViewInput {
  name: string;
  schema: string;
  activation: ActivationConfig;
  /** The select the views read: the model's SQL, or `select * from <source>`. */
  sourceSql: string;
  /** Field name → column of that select. */
  columns: Partial<Record<FieldName, string>>;
}

export interface ActivationViews {
  prepared: string;
  outbound: string;
  rejected: string;
  /** What was sent, from the ledger. */
  sent: string;
}

export const viewNames = (name: string) => ({
  prepared: `${name}_prepared`,
  outbound: `${name}_outbound`,
  rejected: `${name}_rejected`,
  sent: `${name}_sent`,
});

/**
 * The field columns of a model: every canonical name it selects (extra columns are ignored). A model
 * without event_time cannot be sent, so that is a config error naming the known names.
 */
export function modelColumns(activationName: string, modelColumnNames: string[]): Partial<Record<FieldName, string>> {
  const columns: Partial<Record<FieldName, string>> = {};
  for (const column of modelColumnNames) {
    const field = canonicalField(column.toLowerCase());
    if (field) columns[field] = column;
  }
  if (!columns.event_time) {
    throw new ConfigError(`activations.${activationName}.model: the model selects no event_time column (it selects ${modelColumnNames.join(', ') || 'nothing'}); name its columns after the fields: ${FIELD_NAMES.join(', ')}`);
  }
  return columns;
}

/** The mapping of a source activation, with aliases (zip) resolved. */
export function mappingColumns(mapping: Record<string, string>): Partial<Record<FieldName, string>> {
  // Keys that are no field (a retired one, warned about at load) are left out.
  return Object.fromEntries(Object.entries(mapping).flatMap(([k, v]) => (canonicalField(k) ? [[canonicalField(k)!, v]] : [])));
}

export function renderViews(r: Renderer, input: ViewInput): ActivationViews {
  const names = viewNames(input.name);
  const { activation: a, columns } = input;
  if (a.event_name && columns.event_name) {
    throw new ConfigError(`activations.${input.name}.event_name: the model also selects event_name; keep one of them`);
  }
  const mapped = Object.entries(columns).map(([name, column]) => ({ name, expr: `src.${r.quote(column!)}` }));
  // The constant is typed as text so that as_text reads it like any column.
  if (a.event_name) mapped.push({ name: 'event_name', expr: r.macro('to_text', { value: literal(a.event_name) }) });
  const has = (f: FieldName) => mapped.some((m) => m.name === f);
  requireSourceFields(input.name, a.action_source, has);
  // Columns of the stages: m (each mapped column as text), n (normalised, and the event_id).
  const m = (f: string) => r.macro('column_ref', { stage: 'm', name: f });
  const n = (f: string) => r.macro('column_ref', { stage: 'n', name: f });

  const normalised: { name: string; sql: string }[] = [
    { name: 'event_time', sql: r.macro('epoch_seconds', { value: m('event_time'), source: mapped.find((c) => c.name === 'event_time')?.expr }) },
    { name: 'event_name', sql: has('event_name') ? r.macro('normalise_event_name', { value: m('event_name'), names: SNAP_EVENT_NAMES }) : 'null' },
    { name: 'source_event_id', sql: has('event_id') ? m('event_id') : 'null' },
    { name: 'value', sql: has('value') ? r.macro('to_number', { value: m('value') }) : 'null' },
    { name: 'currency_text', sql: has('currency') ? m('currency') : 'null' },
    { name: 'currency', sql: has('currency') ? r.macro('normalise_currency', { value: m('currency') }) : 'null' },
  ];
  const customData = [
    { key: 'value', value: n('value') },
    { key: 'currency', value: n('currency') },
  ];
  const extras = { order_id: null, content_ids: 'to_string_array', num_items: 'to_integer' } as const;
  for (const [name, macro] of Object.entries(extras)) {
    if (!has(name as FieldName)) continue;
    normalised.push({ name, sql: macro ? r.macro(macro, { value: m(name) }) : m(name) });
    customData.push({ key: name, value: n(name) });
  }
  // json: the value is JSON built by a json_* macro (on Postgres, JSON text that goes in as it is);
  // hex: a hash, lower-case hex, which no JSON escaping can change (Postgres quotes it without to_json).
  const userData: { key: string; value: string; json?: boolean; hex?: boolean }[] = [];
  const appData: { key: string; value: string }[] = [];
  const topLevel: { key: string; value: string }[] = [];
  for (const [name, spec] of Object.entries(FIELDS)) {
    // custom_data and event_time/event_name/event_id are computed above; the rest is one macro each.
    if (!has(name as FieldName) || spec.kind === 'custom' || (spec.kind === 'event' && !('normalise' in spec))) continue;
    const normal = normaliseField(r, name as FieldName, m(name), a.phone_country_code);
    const sql = spec.kind === 'hashed' ? r.macro('hash_identifier', { value: m(name), normalised: normal }) : normal;
    normalised.push({ name: spec.key, sql });
    const ref = n(spec.key);
    if (spec.kind === 'app') appData.push({ key: spec.key, value: ref });
    else if (spec.kind === 'event') topLevel.push({ key: spec.key, value: ref });
    else {
      const hex = spec.kind === 'hashed';
      userData.push('array' in spec ? { key: spec.key, value: r.macro('json_array_of_one', { value: ref, hex }), json: true } : { key: spec.key, value: ref, hex });
    }
  }
  const eventIdRef = n('event_id');
  // A constant stays out of the normalised stage: the event_id fingerprint hashes that stage's fields.
  const actionSource = has('action_source') ? n('action_source') : r.macro('to_text', { value: literal(a.action_source ?? 'OFFLINE') });
  // Which identifiers each event carries, for the ledger (the report's match-key coverage).
  const matchKeys = userData.length > 0 ? r.macro('present_keys', { pairs: userData.map((u) => ({ key: u.key, value: n(u.key) })) }) : 'null';

  const payload = r.macro('json_object', {
    pairs: [
      { key: 'event_name', value: n('event_name') },
      { key: 'event_time', value: n('event_time') },
      { key: 'event_id', value: eventIdRef },
      { key: 'action_source', value: actionSource },
      ...topLevel.filter((t) => t.key !== 'action_source'),
      { key: 'user_data', value: r.macro('json_object', { pairs: userData }), json: true },
      { key: 'custom_data', value: r.macro('json_object_or_null', { pairs: customData }), json: true },
      ...(appData.length > 0 ? [{ key: 'app_data', value: r.macro('json_object_or_null', { pairs: appData }), json: true }] : []),
    ],
  });
  // Snap needs em, ph, a mobile ad id, or both the IP address and the user agent.
  const sent = (key: string) => userData.some((u) => u.key === key);
  const missing = ['em', 'ph', 'mobile_ad_id'].filter(sent).map((key) => `${n(key)} is null`);
  if (sent('client_ip_address') && sent('client_user_agent')) missing.push(`(${n('client_ip_address')} is null or ${n('client_user_agent')} is null)`);
  const noIdentifier = missing.join(' and ') || 'true';
  const reasons = [
    ['missing_event_time', `${n('event_time')} is null`],
    ['invalid_event_name', `${n('event_name')} is null`],
    ['invalid_action_source', `${actionSource} is null`],
    ['event_in_future', `${n('event_time')} > ${n('now_s')}`],
    ['event_too_old', `${n('event_time')} < ${n('now_s')} - ${a.max_event_age_days * 86_400}`],
    ['missing_value', `${n('event_name')} = 'PURCHASE' and ${n('value')} is null`],
    ['missing_currency', `${n('event_name')} = 'PURCHASE' and ${n('currency_text')} is null`],
    ['invalid_currency', `${n('event_name')} = 'PURCHASE' and ${n('currency')} is null`],
    // What Snap's "Using the API" page asks of web and app events.
    ['missing_event_source_url', `${actionSource} = 'WEB' and ${has('event_source_url') ? n('event_source_url') : 'null'} is null`],
    ['missing_app_data', `${actionSource} = 'MOBILE_APP' and (${['extinfo', 'advertiser_tracking_enabled'].map((f) => `${has(f as FieldName) ? n(f) : 'null'} is null`).join(' or ')})`],
    ['no_user_identifier', noIdentifier],
  ].map(([reason, when]) => ({ reason, when }));

  return {
    prepared: r.macro('prepared_view', {
      schema: input.schema,
      view: names.prepared,
      source_sql: input.sourceSql.trim().replace(/;\s*$/, ''),
      mapped,
      source_cursor: a.cursor ? `src.${r.quote(a.cursor)}` : null,
      normalised,
      reasons,
      event_time: n('event_time'),
      event_id: eventId(r, n, normalised.map((f) => f.name), has),
      event_id_ref: eventIdRef,
      match_keys: matchKeys,
      payload,
    }),
    outbound: r.macro('outbound_view', { schema: input.schema, view: names.outbound, prepared: names.prepared }),
    rejected: r.macro('rejected_view', { schema: input.schema, view: names.rejected, prepared: names.prepared }),
    sent: r.macro('sent_view', { schema: input.schema, view: names.sent, activation: input.name }),
  };
}

/**
 * The SQL of one field's value as Snap wants it (before hashing), from `value` (the trimmed text of the
 * mapped column): the field's normalise macro with what it needs (the activation's phone country code,
 * the place tables), or the value itself for a field sent as written.
 */
export function normaliseField(r: Renderer, name: FieldName, value: string, phoneCountryCode: string | undefined): string {
  const spec: FieldSpec = FIELDS[name];
  if (!spec.normalise) return value;
  const codes = spec.places ? (spec.places === 'countries' ? COUNTRY_KEYS : REGION_KEYS) : [];
  return r.macro(spec.normalise, { value, ...phoneMacroOptions(phoneCountryCode), names: name === 'action_source' ? ACTION_SOURCES : SNAP_EVENT_NAMES, codes, codes_json: asJsonObject(codes) });
}

/** A constant WEB or MOBILE_APP needs the fields Snap asks for on every such event, or none could be sent. */
function requireSourceFields(name: string, source: string | undefined, has: (f: FieldName) => boolean): void {
  const needs: Record<string, FieldName[]> = { WEB: ['event_source_url'], MOBILE_APP: ['extinfo', 'advertiser_tracking_enabled'] };
  const missing = (needs[source ?? ''] ?? []).filter((f) => !has(f));
  if (missing.length > 0) {
    throw new ConfigError(`activations.${name}.action_source: ${source} events need ${missing.join(' and ')} (Snap asks for them on every ${source} event; see docs/fields.md): map ${missing.length > 1 ? 'them' : 'it'}, or send another action_source`);
  }
}

/**
 * event_id, else order_id, else a fingerprint of the event as Snap would see it (its normalised fields):
 * the same row gives the same id on every run and under any session TimeZone or DateStyle, so a
 * re-sent event is deduplicated by Snap.
 */
function eventId(r: Renderer, n: (f: string) => string, normalisedNames: string[], has: (f: FieldName) => boolean): string {
  const candidates = [...(has('event_id') ? ['source_event_id'] : []), ...(has('order_id') ? ['order_id'] : [])].map(n);
  const fields = normalisedNames.filter((f) => f !== 'source_event_id' && f !== 'currency_text').sort();
  const values = fields.map((f) => r.macro('to_text', { value: n(f) }));
  candidates.push(r.macro('row_fingerprint', { value: r.macro('concat_fields', { values }) }));
  return candidates.length === 1 ? candidates[0] : `coalesce(${candidates.join(', ')})`;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
