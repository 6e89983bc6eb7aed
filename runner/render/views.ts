import type { ActivationConfig } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';
import { FIELDS, FIELD_NAMES, SNAP_EVENT_NAMES, canonicalField, type FieldName } from './fields.ts';
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
}

export const viewNames = (name: string) => ({
  prepared: `${name}_prepared`,
  outbound: `${name}_outbound`,
  rejected: `${name}_rejected`,
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
  return Object.fromEntries(Object.entries(mapping).map(([k, v]) => [canonicalField(k)!, v]));
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
  const col = (f: string) => r.quote(f);

  const normalised: { name: string; sql: string }[] = [
    { name: 'event_time', sql: r.macro('epoch_seconds', { value: col('event_time') }) },
    { name: 'event_name', sql: has('event_name') ? r.macro('normalise_event_name', { value: col('event_name'), names: SNAP_EVENT_NAMES }) : 'null' },
    { name: 'source_event_id', sql: has('event_id') ? col('event_id') : 'null' },
    { name: 'value', sql: has('value') ? r.macro('to_number', { value: col('value') }) : 'null' },
    { name: 'currency_text', sql: has('currency') ? col('currency') : 'null' },
    { name: 'currency', sql: has('currency') ? r.macro('normalise_currency', { value: col('currency') }) : 'null' },
  ];
  const customData = [
    { key: 'value', value: col('value') },
    { key: 'currency', value: col('currency') },
  ];
  const extras = { order_id: null, content_ids: 'to_string_array', num_items: 'to_integer' } as const;
  for (const [name, macro] of Object.entries(extras)) {
    if (!has(name as FieldName)) continue;
    normalised.push({ name, sql: macro ? r.macro(macro, { value: col(name) }) : col(name) });
    customData.push({ key: name, value: col(name) });
  }
  const userData: { key: string; value: string }[] = [];
  for (const [name, spec] of Object.entries(FIELDS)) {
    if (!has(name as FieldName) || (spec.kind !== 'hashed' && spec.kind !== 'plain')) continue;
    const normal = 'normalise' in spec ? r.macro(spec.normalise, { value: col(name), country_code: a.phone_country_code }) : col(name);
    const sql = spec.kind === 'hashed' ? r.macro('hash_identifier', { value: col(name), normalised: normal }) : normal;
    normalised.push({ name: spec.key, sql });
    const ref = col(spec.key);
    userData.push({ key: spec.key, value: 'array' in spec ? r.macro('json_array_of_one', { value: ref }) : ref });
  }

  const payload = r.macro('json_object', {
    pairs: [
      { key: 'event_name', value: col('event_name') },
      { key: 'event_time', value: col('event_time') },
      { key: 'event_id', value: col('event_id') },
      { key: 'action_source', value: literal(a.action_source) },
      { key: 'user_data', value: r.macro('json_object', { pairs: userData }) },
      { key: 'custom_data', value: r.macro('json_object_or_null', { pairs: customData }) },
    ],
  });
  const present = (key: string) => (userData.some((u) => u.key === key) ? `${col(key)} is null` : 'true');
  const noIdentifier = `${present('em')} and ${present('ph')} and ${present('madid')} and (${present('client_ip_address')} or ${present('client_user_agent')})`;

  return {
    prepared: r.macro('prepared_view', {
      schema: input.schema,
      view: names.prepared,
      source_sql: input.sourceSql.trim().replace(/;\s*$/, ''),
      mapped,
      source_cursor: a.cursor ? `src.${r.quote(a.cursor)}` : null,
      normalised,
      max_age_seconds: a.max_event_age_days * 86_400,
      no_identifier: noIdentifier,
      event_id: eventId(r, normalised.map((n) => n.name), has),
      payload,
    }),
    outbound: r.macro('outbound_view', { schema: input.schema, view: names.outbound, prepared: names.prepared }),
    rejected: r.macro('rejected_view', { schema: input.schema, view: names.rejected, prepared: names.prepared }),
  };
}

/**
 * event_id, else order_id, else a fingerprint of the event as Snap would see it (its normalised fields):
 * the same row gives the same id on every run and under any session TimeZone or DateStyle, so a
 * re-sent event is deduplicated by Snap.
 */
function eventId(r: Renderer, normalisedNames: string[], has: (f: FieldName) => boolean): string {
  const candidates = [...(has('event_id') ? ['source_event_id'] : []), ...(has('order_id') ? ['order_id'] : [])].map((c) => r.quote(c));
  const fields = normalisedNames.filter((n) => n !== 'source_event_id' && n !== 'currency_text').sort();
  const values = fields.map((f) => r.macro('to_text', { value: r.quote(f) }));
  candidates.push(r.macro('row_fingerprint', { value: r.macro('concat_fields', { values }) }));
  return candidates.length === 1 ? candidates[0] : `coalesce(${candidates.join(', ')})`;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
