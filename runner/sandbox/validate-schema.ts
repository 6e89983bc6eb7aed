import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import schema from './snap-v3.schema.json' with { type: 'json' };

/**
 * Snap's own published v3 schema (snap-v3.schema.json: the OpenAPI file of Snap's v3 Business SDK and
 * the fields its generated models add; source and commit in the file's $comment), checked with ajv. The
 * sandbox answers what this schema refuses as Snap's SDK would refuse it, naming the failing path.
 */
let compiled: { body: ValidateFunction; event: ValidateFunction } | undefined;

function validators(): { body: ValidateFunction; event: ValidateFunction } {
  if (!compiled) {
    // allErrors: every problem of an event at once, as the sandbox reports them.
    const ajv = new Ajv({ allErrors: true, strict: true });
    ajv.addSchema(schema, 'snap-v3');
    compiled = { body: ajv.getSchema('snap-v3')!, event: ajv.getSchema('snap-v3#/$defs/CapiEvent')! };
  }
  return compiled;
}

/** Where and why a request body does not match Snap's v3 schema, e.g. `data[0].user_data.fn: must be array`; empty when it does. */
export function schemaProblems(body: unknown): string[] {
  const validate = validators().body;
  return validate(body) ? [] : describe(validate.errors);
}

/** As schemaProblems, for one event of `data` (paths start at the event, e.g. `user_data.madid`). */
export function eventSchemaProblems(event: unknown): string[] {
  const validate = validators().event;
  return validate(event) ? [] : describe(validate.errors);
}

// The messages name paths and keys only, never a value: a value may be clear-text PII bound for a log.
function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const path = e.instancePath.split('/').slice(1).map((p, i) => (/^[0-9]+$/.test(p) ? `[${p}]` : `${i === 0 ? '' : '.'}${p}`)).join('');
    const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}" (not in Snap's v3 schema)` : '';
    return `${path || '(the body)'}: ${e.message ?? e.keyword}${extra}`;
  });
}
