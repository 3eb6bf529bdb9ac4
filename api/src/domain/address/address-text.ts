/**
 * One pass over an address string: full-width forms folded, whitespace collapsed, emoji dropped,
 * and alongside it the Chinese characters alone, which is what region names are matched against
 * (so "浙江省 杭州市，西湖区" and "浙江省🎉杭州市西湖区" read the same).
 */
export interface NormalizedText {
  /** Full-width ASCII folded, whitespace runs collapsed to one space, emoji dropped, trimmed. */
  text: string;
  /** Only the Han characters of `text`. */
  han: string;
  /** `hanAt[i]` is the index in `text` of `han[i]`. */
  hanAt: number[];
  /** Anything besides whitespace and punctuation (letters, digits, Han, emoji). */
  hasContent: boolean;
  /** Kana or Hangul: a Japanese or Korean address. */
  hasForeignScript: boolean;
}

const SPACE = 0x20;

export function normalizeText(raw: string | null | undefined, maxChars: number): NormalizedText {
  // Adapters are typed, but a number or object slipping through must not throw here.
  const source = typeof raw !== 'string' ? '' : raw.length > maxChars ? raw.slice(0, maxChars) : raw;
  let text = '';
  let han = '';
  const hanAt: number[] = [];
  let hasContent = false;
  let hasForeignScript = false;
  let pendingSpace = false;

  for (let i = 0; i < source.length; i++) {
    let code = source.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      // Astral plane: emoji and pictographs are dropped, rare Han (extension B+) is kept.
      const point = source.codePointAt(i) ?? code;
      i++;
      hasContent = true;
      if (point >= 0x20000 && point <= 0x3ffff) {
        if (pendingSpace && text.length > 0) text += ' ';
        pendingSpace = false;
        text += String.fromCodePoint(point);
      }
      continue;
    }
    if (code >= 0xff01 && code <= 0xff5e) code -= 0xfee0; // full-width ASCII
    if (isSpace(code)) {
      pendingSpace = true;
      continue;
    }
    if (isDropped(code)) {
      hasContent = true;
      continue;
    }
    if (pendingSpace && text.length > 0) text += ' ';
    pendingSpace = false;
    if (isHan(code)) {
      hanAt.push(text.length);
      han += String.fromCharCode(code);
      hasContent = true;
    } else if (!isPunctuation(code)) {
      hasContent = true;
      if (isKanaOrHangul(code)) hasForeignScript = true;
    }
    text += String.fromCharCode(code);
  }
  return { text, han, hanAt, hasContent, hasForeignScript };
}

/** The part of `text` after the first `hanCount` Han characters, without leading separators. */
export function textAfter(normalized: NormalizedText, hanCount: number): string {
  const from = hanCount === 0 ? 0 : normalized.hanAt[hanCount - 1] + 1;
  return trimSeparators(normalized.text.slice(from));
}

/** The part of `text` before Han character number `hanIndex`. */
export function textBefore(normalized: NormalizedText, hanIndex: number): string {
  return trimSeparators(normalized.text.slice(0, normalized.hanAt[hanIndex] ?? normalized.text.length));
}

function trimSeparators(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isSeparator(s.charCodeAt(start))) start++;
  while (end > start && isSeparator(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

export function isHan(code: number): boolean {
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf);
}

function isSpace(code: number): boolean {
  return (
    code === SPACE || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x3000 || code === 0xa0
  );
}

/** Variation selectors, zero-width joiners, symbols and dingbats (the BMP emoji), controls. */
function isDropped(code: number): boolean {
  return (
    code < 0x20 ||
    code === 0x7f ||
    code === 0x200b ||
    code === 0x200d ||
    code === 0xfe0f ||
    code === 0xfeff ||
    (code >= 0x2600 && code <= 0x27bf) ||
    (code >= 0x2b00 && code <= 0x2bff)
  );
}

/** ASCII punctuation and the CJK punctuation block (、。「」【】 …) and full-width forms. */
function isPunctuation(code: number): boolean {
  return (
    (code >= 0x21 && code <= 0x2f) ||
    (code >= 0x3a && code <= 0x40) ||
    (code >= 0x5b && code <= 0x60) ||
    (code >= 0x7b && code <= 0x7e) ||
    (code >= 0x3001 && code <= 0x303f) ||
    (code >= 0x2010 && code <= 0x206f) ||
    (code >= 0xff5f && code <= 0xff65)
  );
}

const SEPARATORS = new Set([0x20, 0x2c, 0x2e, 0x3b, 0x3a, 0x2d, 0x2f, 0x7c, 0x3001, 0x3002]);

function isSeparator(code: number): boolean {
  return SEPARATORS.has(code);
}

function isKanaOrHangul(code: number): boolean {
  return (
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0xac00 && code <= 0xd7af) ||
    (code >= 0x1100 && code <= 0x11ff) ||
    (code >= 0x3130 && code <= 0x318f)
  );
}
