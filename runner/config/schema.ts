import { z } from 'zod';
import { ACTION_SOURCES, FIELD_NAMES, RETIRED_FIELDS, SNAP_EVENT_NAMES, canonicalField } from '../render/fields.ts';
import { duration } from './duration.ts';
import { defaultsSchema, scheduleSchema, warningsSchema } from './schedule-warnings.ts';

/** As the normalise_event_name macro reads a name: any case, spaces or dashes for underscores. */
const snapEventName = (name: string) => name.trim().toUpperCase().replace(/[\s-]+/g, '_');

/** Names that become part of SQL object names: letters, digits and underscores. */
const sqlName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'use letters, digits and underscores, starting with a letter');
/** An activation's name keys JavaScript objects too: `__proto__` or `constructor` would not be an ordinary key. */
const activationName = sqlName.refine((name) => !(name in Object.prototype), 'a name JavaScript reserves; choose another');
const columnName = z.string().min(1).refine((s) => !s.includes('\0'), 'a column name cannot contain NUL');

/** Keys of every warehouse. */
const summary = {
  /** Count the rows held back in each sync's summary, from the same read as the events. */
  held_back_summary: z.boolean().default(true),
  /**
   * Days the ledger of sent events is kept (the `_sent` views). It must cover each activation's
   * max_event_age_days, past which an event is never sent again; auditors may want longer. Default 90.
   */
  ledger_retention_days: z.number().int().min(2).max(36_500).default(90),
};

const pglite = z.strictObject({
  type: z.literal('pglite'),
  /** Data directory, relative to the config file; created on first use. */
  path: z.string().default('.capi-sync/warehouse'),
  schema: sqlName.default('capi_sync'),
  /** Folder of .sql files run once when the data directory is created (the example data). */
  seeds: z.string().optional(),
  checkpoint_seconds: z.number().min(0).default(0),
  ...summary,
});

/** A Postgres connection URL; the value is never echoed (it holds a password). */
const postgresUrl = z.string().min(1).refine((value) => {
  try {
    return ['postgres:', 'postgresql:', 'socket:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, 'not a Postgres URL such as postgres://host:5432/database (user:password@ before the host), usually given as ${DATABASE_URL}');

/**
 * Seconds one warehouse call may take: a statement, a page of rows, connecting (and logging in). A call
 * past it is cancelled and the run fails; a network that stopped answering fails the same way. Default 300.
 */
const timeout_seconds = z.number().positive().default(300);

const postgres = z.strictObject({
  type: z.literal('postgres'),
  /** postgres://user:password@host:port/database — write it as ${DATABASE_URL}. */
  url: postgresUrl,
  schema: sqlName.default('capi_sync'),
  /** Seconds between saves of what Snap accepted (the ledger); 0 (the default) saves after every accepted batch. */
  checkpoint_seconds: z.number().min(0).default(0),
  /**
   * Connections that read one activation at once, each a share of the rows split by a hash of the
   * cursor column (activations with `cursor:`), so the server computes the views on as many cores.
   */
  read_connections: z.number().int().min(1).max(16).default(2),
  ...summary,
  timeout_seconds,
});

/** A local http URL, only for pointing a driver at a stand-in in tests. */
const localUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}, 'only http://127.0.0.1:PORT or http://localhost:PORT (a local stand-in for tests)');

/** Keys the cloud warehouses share: each write there is slow or rate-limited, and a call can hang. */
const cloud = {
  /** Seconds between watermark saves (and at run end); default 60. */
  checkpoint_seconds: z.number().min(0).default(60),
  /** Seconds the single-runner lease lasts without renewal (renewed every third of it); default 600. */
  lease_seconds: z.number().int().min(60).max(86_400).default(600),
  timeout_seconds,
};

const snowflake = z
  .strictObject({
    type: z.literal('snowflake'),
    /** Account identifier, e.g. myorg-myaccount (not the full host name). */
    account: z.string().min(1),
    user: z.string().min(1),
    role: z.string().min(1).optional(),
    /** The virtual warehouse that runs the queries. */
    warehouse: z.string().min(1).optional(),
    database: z.string().min(1),
    /** Schema for capi-sync's views and tables, in `database`. */
    schema: sqlName.default('capi_sync'),
    /** Write it as ${SNOWFLAKE_PASSWORD}. */
    password: z.string().min(1).optional(),
    /** Key-pair auth: a PEM private key, written as ${SNOWFLAKE_PRIVATE_KEY}, or a file (relative to the config). */
    private_key: z.string().min(1).optional(),
    private_key_path: z.string().min(1).optional(),
    /** Passphrase of an encrypted private key; write it as ${SNOWFLAKE_PRIVATE_KEY_PASSPHRASE}. */
    private_key_passphrase: z.string().min(1).optional(),
    access_url: localUrl.optional(),
    ...summary,
    ...cloud,
  })
  .superRefine((w, ctx) => {
    const given = [w.password, w.private_key, w.private_key_path].filter((v) => v !== undefined).length;
    if (given !== 1) ctx.addIssue({ code: 'custom', path: ['password'], message: 'set exactly one of password (${SNOWFLAKE_PASSWORD}), private_key (${SNOWFLAKE_PRIVATE_KEY}) or private_key_path' });
    if (w.private_key_passphrase && !w.private_key && !w.private_key_path) ctx.addIssue({ code: 'custom', path: ['private_key_passphrase'], message: 'goes with private_key or private_key_path' });
  });

const bigquery = z.strictObject({
  type: z.literal('bigquery'),
  /** Project that runs (and pays for) the query jobs and holds the dataset. */
  project: z.string().min(1),
  /** Dataset for capi-sync's views and tables: the "schema" of the other warehouses. */
  dataset: sqlName.default('capi_sync'),
  /** Where the jobs run and the dataset lives, e.g. US or EU; default: BigQuery's choice from the tables read. */
  location: z.string().min(1).optional(),
  /** Service-account key file (relative to the config); default: application default credentials. */
  key_file: z.string().min(1).optional(),
  /** Cost guard: a query that would bill more bytes fails instead of running. */
  maximum_bytes_billed: z.number().int().positive().optional(),
  api_endpoint: localUrl.optional(),
  ...summary,
  ...cloud,
});

export const warehouseSchema = z.discriminatedUnion('type', [pglite, postgres, snowflake, bigquery]);

const localHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

const endpoint = z
  .string()
  .default('https://tr.snapchat.com')
  .superRefine((value, ctx) => {
    if (value === 'sandbox') return;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'use "sandbox" or a base URL such as https://tr.snapchat.com' });
      return;
    }
    if (url.protocol === 'https:') return;
    if (url.protocol === 'http:' && localHosts.has(url.hostname)) return;
    ctx.addIssue({ code: 'custom', message: 'use https:// (plain http:// only for 127.0.0.1 or localhost)' });
  });

/** Retry options, named as undici's retry handler names them. */
const retry = z.strictObject({
  /** Attempts after the first; default 6. */
  max_retries: z.number().int().min(0).max(50).default(6),
  /** First backoff in ms; default 500. */
  min_timeout: z.number().int().min(0).default(500),
  /** Longest backoff (and longest Retry-After honoured) in ms; default 30000. */
  max_timeout: z.number().int().min(0).default(30_000),
  /** Backoff growth per attempt; default 2. */
  timeout_factor: z.number().min(1).default(2),
});

export const snapchatSchema = z.strictObject({
  /** Write it as ${SNAP_CAPI_TOKEN}; required unless endpoint is sandbox. */
  access_token: z.string().min(1).optional(),
  endpoint,
  /** Events per request, at most Snap's 2,000. */
  batch_size: z.number().int().min(1).max(2000).default(2000),
  /** Requests in flight at once; lowered after a 429. Default 4. */
  max_in_flight: z.number().int().min(1).max(64).default(4),
  /** Seconds one request may take before it is abandoned and retried. Default 30. */
  request_timeout_seconds: z.number().positive().default(30),
  retry: retry.prefault({}),
});

const activation = z
  .strictObject({
    /** Goes into the request path: a space or a slash would post to another URL. */
    pixel_id: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only, as Events Manager shows the Pixel ID (check for spaces or quotes)'),
    /** A constant Snap event name (PURCHASE), or map the event_name field to a column. */
    event_name: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    source: z.string().min(1).optional(),
    mapping: z.record(z.string(), columnName).optional(),
    /** Column that grows as rows arrive; default event_time. */
    cursor: columnName.optional(),
    /** OFFLINE (the default), WEB or MOBILE_APP for every event; or map action_source to a column. */
    action_source: z.enum(ACTION_SOURCES).optional(),
    max_event_age_days: z.number().int().min(1).max(37, 'Snap refuses events older than 37 days').default(7),
    /**
     * How far behind the watermark each run reads again, for rows committed late, events that were in
     * the future, and rows whose cursor moved; the ledger keeps them from being sent twice. Seconds
     * (numeric cursors are read as epoch seconds); default 1h, 0 reads past the watermark only.
     */
    lookback: duration.default(3600),
    phone_country_code: z
      .union([z.string(), z.number()])
      .transform(String)
      .pipe(z.string().regex(/^[1-9][0-9]{0,3}$/, 'digits only, without + or 00, for example "44"'))
      .optional(),
    test_event_code: z.string().min(1).optional(),
    /** How often `capi-sync serve` runs it: an interval or a 5-field cron in UTC; default defaults.schedule. */
    schedule: scheduleSchema.optional(),
    /** Each key overrides the same key of defaults.warnings. */
    warnings: warningsSchema.optional(),
  })
  .superRefine((a, ctx) => {
    if (!a.model === !a.source) {
      ctx.addIssue({ code: 'custom', message: 'set either model: (a SQL file) or source: (a table or view) with mapping:' });
    }
    if (a.mapping && !a.source) ctx.addIssue({ code: 'custom', path: ['mapping'], message: 'mapping: goes with source:; a model selects the field names itself' });
    if (a.source && !a.mapping) ctx.addIssue({ code: 'custom', path: ['mapping'], message: 'required with source: (field name → column), for example {event_time: created_at, email: customer_email}' });
    for (const key of Object.keys(a.mapping ?? {})) {
      // A retired field is a warning (see loadConfig), so that an older mapping keeps working.
      if (!RETIRED_FIELDS[key] && !canonicalField(key)) {
        ctx.addIssue({ code: 'custom', path: ['mapping', key], message: `not a known field; known fields: ${FIELD_NAMES.join(', ')}` });
      }
    }
    if (a.mapping && !a.mapping.event_time) ctx.addIssue({ code: 'custom', path: ['mapping', 'event_time'], message: 'required: the column holding when the conversion happened' });
    if (a.mapping?.action_source && a.action_source) ctx.addIssue({ code: 'custom', path: ['action_source'], message: 'set the constant or map action_source to a column, not both' });
    if (a.mapping?.event_name && a.event_name) ctx.addIssue({ code: 'custom', path: ['event_name'], message: 'set the constant or map event_name to a column, not both' });
    if (a.event_name && !(SNAP_EVENT_NAMES as readonly string[]).includes(snapEventName(a.event_name))) {
      ctx.addIssue({ code: 'custom', path: ['event_name'], message: `not a Snap event name; use one of ${SNAP_EVENT_NAMES.join(', ')}` });
    }
    if (a.mapping && !a.mapping.event_name && !a.event_name) ctx.addIssue({ code: 'custom', path: ['event_name'], message: 'required: a Snap event name such as PURCHASE, or map event_name to a column' });
  });

export const configSchema = z
  .strictObject({
    warehouse: warehouseSchema,
    snapchat: snapchatSchema,
    /** schedule and warnings for every activation that does not set them itself. */
    defaults: defaultsSchema.optional(),
    activations: z.record(activationName, activation).refine((a) => Object.keys(a).length > 0, 'add at least one activation'),
  })
  .superRefine((c, ctx) => {
    // The ledger is what keeps an event from being sent twice; past max_event_age_days it is never sent again.
    const oldest = Math.max(0, ...Object.values(c.activations).map((a) => a.max_event_age_days));
    if (c.warehouse.ledger_retention_days <= oldest) {
      ctx.addIssue({ code: 'custom', path: ['warehouse', 'ledger_retention_days'], message: `must be more than the largest max_event_age_days (${oldest}): the ledger keeps sent events from being sent again for as long as they can be sent` });
    }
  });

export type Config = z.infer<typeof configSchema>;
export type WarehouseConfig = z.infer<typeof warehouseSchema>;
export type SnapchatConfig = z.infer<typeof snapchatSchema>;
export type ActivationConfig = z.infer<typeof activation>;
