import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import type { BillFormat, BillFormatId } from '../../domain/bills/bill-format.js';
import { importBill } from './ledger.store.js';

export interface PickupResult {
  file: string;
  outcome: 'IMPORTED' | 'ALREADY_IMPORTED' | 'REJECTED';
  detail: string;
}

/**
 * Imports the bills dropped in `<dir>/<CHANNEL>/<FORMAT>/`; each file then moves to `done/` or,
 * refused, to `rejected/` beside a `<name>.reason.txt` with the line and the reason. A file that
 * fails for another cause (the database down) stays where it is for the next pick-up.
 */
export async function pickUpBills(
  pool: pg.Pool,
  dir: string,
  formats: (id: BillFormatId) => BillFormat | null,
  now: Date,
): Promise<PickupResult[]> {
  const results: PickupResult[] = [];
  const list = async (path: string) =>
    (await readdir(path, { withFileTypes: true }).catch(() => [])).filter((e) => !e.name.startsWith('.'));
  for (const channel of await list(dir)) {
    if (!channel.isDirectory()) continue;
    for (const formatDir of await list(join(dir, channel.name))) {
      const format = formatDir.isDirectory() ? formats(formatDir.name as BillFormatId) : null;
      if (!format) continue;
      const folder = join(dir, channel.name, formatDir.name);
      for (const file of await list(folder)) {
        if (!file.isFile()) continue;
        const path = join(folder, file.name);
        const answer = await importBill(pool, {
          path,
          fileName: file.name,
          format,
          channel: channel.name,
          importedBy: 'pickup',
          now,
        });
        const target = join(folder, answer.ok ? 'done' : 'rejected');
        await mkdir(target, { recursive: true });
        await rename(path, join(target, file.name));
        if (!answer.ok) {
          const reason = `line ${answer.defect.line}${answer.defect.field ? ` (${answer.defect.field})` : ''}: ${answer.defect.reason}\n`;
          await writeFile(join(target, `${file.name}.reason.txt`), reason);
          results.push({ file: path, outcome: 'REJECTED', detail: reason.trim() });
        } else
          results.push({
            file: path,
            outcome: answer.alreadyImported ? 'ALREADY_IMPORTED' : 'IMPORTED',
            detail: `${answer.summary.entries} entries, ${answer.summary.inserted} new`,
          });
      }
    }
  }
  return results;
}
