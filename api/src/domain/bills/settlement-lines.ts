import type { Cents } from '../reconciliation/money.js';
import type { MoneyKind } from '../reconciliation/reconciliation-types.js';
import { yuan } from './bill-fields.js';
import type { LedgerEntry } from './bill-format.js';
import type { NamedRow } from './table-sheet.js';

/** What one settled order part's lines share: its order, part, payment number, gateway and time. */
export type SettledPart = Omit<LedgerEntry, 'kind' | 'recordNo' | 'lineType' | 'amountCents'>;

/** A column of a settlement row that is a named ledger line when not zero. */
export interface NamedLine {
  column: string;
  kind: MoneyKind;
}

/**
 * The ledger lines of one row of a platform settlement file (one settled order part): the buyer's
 * payment (numbered `lineNo`), the sum paid out (`结算金额`, numbered `<lineNo>:结算金额`), and each
 * named line whose cell is not zero (`<lineNo>:<column>`, its size positive: the kind says which
 * way the money went).
 */
export function settlementEntries(
  row: NamedRow,
  part: SettledPart,
  lineNo: string,
  paidCents: Cents,
  named: readonly NamedLine[],
): LedgerEntry[] {
  const entries: LedgerEntry[] = [
    { ...part, kind: 'PAYMENT', recordNo: lineNo, lineType: null, amountCents: paidCents },
    {
      ...part,
      kind: 'SETTLEMENT',
      recordNo: `${lineNo}:结算金额`,
      lineType: '结算金额',
      amountCents: yuan(row, '结算金额'),
    },
  ];
  for (const line of named) {
    const amount = yuan(row, line.column, true);
    if (amount !== 0n)
      entries.push({
        ...part,
        kind: line.kind,
        recordNo: `${lineNo}:${line.column}`,
        lineType: line.column,
        amountCents: amount < 0n ? -amount : amount,
      });
  }
  return entries;
}
