import data from './letters.json' with { type: 'json' };

/**
 * What a letter is, the same on every dialect: a character of Unicode's categories L (letters) or M
 * (marks: accents and the vowel signs of Devanagari, Thai, Arabic…), less the variation selectors (marks
 * that only choose how an emoji looks), as in letters.json. Names, cities
 * and the keys of the place tables keep these and lose everything else: spaces of every kind (U+2009
 * thin, U+3000 ideographic), punctuation, symbols, emoji, digits, control and format characters.
 * letters.json was written from JavaScript's [\p{L}\p{M}] less \p{Variation_Selector} under Unicode `data.unicode` (Node's ICU):
 * `letters`, every such character as ranges; `removed`, every other assigned character of the Basic
 * Multilingual Plane and of U+1F000-U+1FFFF (symbols, emoji), for a dialect that can only list what to
 * remove (Snowflake's translate). The macros write these in their own syntax via the template helpers
 * `unicode_ranges` and `unicode_chars` (render.ts).
 */
export const UNICODE_VERSION: string = data.unicode;

export interface CodeRange {
  /** First and last code point, as 4 hex digits (BMP) or more. */
  from: string;
  to: string;
  /** The same, as 8 hex digits (for \U escapes), and whether it lies beyond the BMP. */
  from8: string;
  to8: string;
  astral: boolean;
}

export interface CodeChar {
  char: string;
  /** 4 hex digits (BMP only: the removed list's astral characters are all visible). */
  hex: string;
  /** False for control, format, space and separator characters and ' and \: write these escaped. */
  visible: boolean;
}

const parse = (list: string): CodeRange[] =>
  list.split(' ').map((r) => {
    const [from, to = from] = r.split('-');
    return { from, to, from8: from.padStart(8, '0'), to8: to.padStart(8, '0'), astral: from.length > 4 };
  });

const ranges = { letters: parse(data.letters), removed: parse(data.removed) };

export function unicodeRanges(name: 'letters' | 'removed'): CodeRange[] {
  return ranges[name];
}

let removedChars: CodeChar[] | undefined;
export function unicodeChars(name: 'removed'): CodeChar[] {
  removedChars ??= ranges[name].flatMap((r) => {
    const out: CodeChar[] = [];
    for (let cp = parseInt(r.from, 16); cp <= parseInt(r.to, 16); cp++) {
      const char = String.fromCodePoint(cp);
      out.push({ char, hex: cp.toString(16).padStart(4, '0'), visible: !/[\p{C}\p{Z}'\\]/u.test(char) });
    }
    return out;
  });
  return removedChars;
}
