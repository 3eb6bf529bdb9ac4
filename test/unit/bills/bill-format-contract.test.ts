import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BILL_FORMATS, type BillFormat } from '../../../api/src/domain/bills/bill-format.js';
import { DEFAULT_UNIONPAY_COLUMNS } from '../../../api/src/domain/bills/unionpay.js';
import { billFormats } from '../../../api/src/modules/ledger/bill-formats.js';
import { BillRejected, readBill } from '../../../api/src/modules/ledger/bill-reader.js';
import * as samples from '../../support/bill-samples.js';

/** What every bill format promises, whatever its columns: run against each one registered. */
const dir = samples.tempDir();
let n = 0;
async function refusal(format: BillFormat, content: string) {
  const path = join(dir, `${++n}.csv`);
  samples.writeText(path, content);
  const error = await readBill(path, format, async () => undefined).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BillRejected);
  return (error as BillRejected).defect;
}

const formats = billFormats(DEFAULT_UNIONPAY_COLUMNS);

describe.each(BILL_FORMATS.map((id) => [id]))('bill format %s', (id) => {
  const format = formats(id);

  it('is registered under its id', () => {
    expect(format?.id).toBe(id);
  });

  it('refuses a file without a table', async () => {
    expect(await refusal(format!, '\n\n')).toMatchObject({ line: 0, reason: 'the file has no table' });
  });

  it('refuses a header that is not its own, naming line 1 and a missing column', async () => {
    const defect = await refusal(format!, 'a,b,c\n1,2,3\n');
    expect(defect.line).toBe(1);
    expect(defect.reason).toMatch(/^the header lacks the column /);
    expect(defect.field).not.toBeNull();
  });
});
