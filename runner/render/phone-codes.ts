/**
 * What the phone macros need to know about country calling codes (ITU-T E.164 assignments), to drop a
 * trunk 0 written after the country code (`+44 (0)20 …`, `+44 020 …` → 4420…) but not a 0 that belongs
 * to the number. Calling codes are prefix-free: 1 and 7 are the one-digit codes, TWO_DIGIT_CODES the
 * two-digit ones, and every other code is three digits long.
 * https://www.itu.int/pub/T-SP-E.164D (list of ITU-T E.164 assigned country codes)
 */
export const TWO_DIGIT_CODES = [
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66',
  '81', '82', '84', '86', '90', '91', '92', '93', '94', '95', '98',
];

/**
 * Countries whose national numbers may begin with a 0 that is dialled from abroad too, so it is no
 * trunk prefix: Italy and the Vatican (39: fixed lines 0x, Rome 06), San Marino (378: 0549), Côte
 * d'Ivoire (225: 10-digit numbers 01/05/07 since 2021), Gabon (241) and the Republic of the Congo (242:
 * 06 mobiles). These are the regions where Google's libphonenumber sets `italian_leading_zero`
 * (phonemetadata: "the leading zero(s) of a number would be retained even when dialling
 * internationally"); see docs/fields.md.
 */
export const TRUNK_ZERO_KEPT = ['39', '378', '225', '241', '242'];

/**
 * A regular expression over E.164 digits (no +) that matches a country code followed by a trunk 0, the
 * code in group 1: replacing the match by group 1 drops the 0. The alternatives cannot overlap (the
 * codes are prefix-free), so Postgres's, RE2's and Snowflake's engines agree on the match.
 */
export function trunkZeroPattern(): string {
  const alternatives = ['1', '7', ...TWO_DIGIT_CODES.filter((c) => !TRUNK_ZERO_KEPT.includes(c))];
  for (let prefix = 20; prefix <= 99; prefix++) {
    const p = String(prefix);
    if (p.startsWith('7') || TWO_DIGIT_CODES.includes(p)) continue;
    const third = [...'0123456789'].filter((d) => !TRUNK_ZERO_KEPT.includes(p + d));
    alternatives.push(third.length === 10 ? `${p}[0-9]` : `${p}[${third.join('')}]`);
  }
  return `^(${alternatives.join('|')})0`;
}

/** What the normalise_phone macros take: the activation's country code and the trunk-0 rules above. */
export function phoneMacroOptions(countryCode: string | undefined): { country_code?: string; trunk_zero: string; keep_zero: boolean } {
  return { country_code: countryCode, trunk_zero: trunkZeroPattern(), keep_zero: countryCode !== undefined && TRUNK_ZERO_KEPT.includes(countryCode) };
}
