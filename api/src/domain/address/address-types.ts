/** A division by its GB/T 2260 six-digit code and its name as the division data spells it. */
export interface RegionRef {
  code: string;
  name: string;
}

/** The address as a channel hands it over; any of the region fields may be missing or empty. */
export interface AddressInput {
  province?: string | null;
  city?: string | null;
  district?: string | null;
  street?: string | null;
  /** Free text: either the whole address or the part below the region fields. */
  detail: string;
}

/** Where the region came from: the channel's split fields, the free text, or both. */
export type ParseMethod = 'FIELDS' | 'TEXT' | 'MIXED';

/**
 * Why an address could not be routed. Stable codes: monitoring counts them and operators
 * filter the unrouted queue by them.
 */
export const ADDRESS_FAILURE_REASONS = [
  /** Nothing but whitespace and punctuation. */
  'EMPTY',
  /** No Chinese characters at all (Latin, digits, emoji), or Japanese / Korean script. */
  'NOT_CHINESE_ADDRESS',
  /** Hong Kong, Macao or Taiwan: real places, but outside the mainland division data. */
  'UNSUPPORTED_REGION',
  /** Chinese text in which no province, city or district could be found. */
  'NO_PROVINCE',
  /** A province was found but no city, and the province is not a municipality. */
  'NO_CITY',
  /** A channel field names a province or city that is not in the division data. */
  'UNKNOWN_REGION',
  /** The fields (or the fields and the text) name regions that do not nest, e.g. 浙江 + 广州. */
  'CONFLICTING_FIELDS',
  /** Equally good readings lead to different regions, e.g. 朝阳区 alone (北京 or 长春). */
  'AMBIGUOUS',
] as const;
export type AddressFailureReason = (typeof ADDRESS_FAILURE_REASONS)[number];

export interface ParsedAddressOk {
  ok: true;
  province: RegionRef;
  /** For municipalities the city is named after the municipality (北京市), code 110100. */
  city: RegionRef;
  /**
   * Null when the city has no county level (东莞, 中山, 儋州, 嘉峪关) or when no district was
   * found; the latter lowers `confidence`.
   */
  district: RegionRef | null;
  /** The street field as given, or the township of a city without county level. */
  street: string | null;
  /** The free text with the recognised region prefix removed. */
  detail: string;
  /** 0..1; 1 means every level was stated in full and agreed. */
  confidence: number;
  method: ParseMethod;
}

export interface ParsedAddressFailure {
  ok: false;
  reason: AddressFailureReason;
  /** For operators; names only regions from the division data, never the input text. */
  message: string;
  confidence: number;
  /** The levels that were resolved before the parse gave up, for manual routing. */
  partial?: { province?: RegionRef; city?: RegionRef };
}

export type ParsedAddress = ParsedAddressOk | ParsedAddressFailure;
