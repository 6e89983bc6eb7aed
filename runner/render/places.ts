import countries from './places/countries.json' with { type: 'json' };
import regions from './places/regions.json' with { type: 'json' };

/**
 * The place names the country and state macros read, as the key they compare (lower-case letters only,
 * as letters_only leaves them, with and without accents) → the code Snap matches on. Kept as data:
 * places/countries.json holds ISO 3166-1 (each alpha-2 code with its alpha-3 code and English names, from
 * the i18n-iso-countries 7.14.0 and world-countries 5.1.0 packages; "congo", which names two countries,
 * left out; England, Scotland, Wales, Northern Ireland → gb); places/regions.json the US states, DC and
 * territories and the Canadian provinces and territories (English and French names). Every dialect
 * renders the same pairs.
 */
export interface PlaceKey {
  key: string;
  code: string;
}

const pairs = (table: Record<string, string[]>): PlaceKey[] =>
  Object.entries(table).flatMap(([code, keys]) => [code, ...keys].map((key) => ({ key, code })));

/** Countries: the alpha-2 code itself, uk (→ gb), alpha-3 codes and names. */
export const COUNTRY_KEYS: PlaceKey[] = [...pairs(countries), { key: 'uk', code: 'gb' }];

/** US states and territories, Canadian provinces: the 2-letter code itself and names. */
export const REGION_KEYS: PlaceKey[] = pairs(regions);

/** The same pairs as one JSON object (key → code), for a dialect that looks a key up in JSON. */
export const asJsonObject = (keys: PlaceKey[]): string => JSON.stringify(Object.fromEntries(keys.map((k) => [k.key, k.code])));
