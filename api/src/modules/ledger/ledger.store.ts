import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type pg from 'pg';
import type { BillDefect, BillFormat, LedgerEntry } from '../../domain/bills/bill-format.js';
import { inTransaction } from '../../infra/db/transaction.js';
import type { SqlExecutor } from '../../infra/outbox/outbox.js';
import { BillRejected, readBill } from './bill-reader.js';

export interface BillImportSummary {
  id: string;
  format: string;
  channel: string;
  fileName: string;
  sha256: string;
  bytes: number;
  lines: number;
  entries: number;
  /** New to the ledger; `entries - inserted` were known already. */
  inserted: number;
  importedAt: Date;
}

export type BillImportAnswer =
  | { ok: true; summary: BillImportSummary; alreadyImported: boolean }
  | { ok: false; defect: BillDefect };

/**
 * Writes entries to the ledger; a movement already there (same gateway, kind and number) is left
 * as it is. Returns how many were new. Runs in the caller's transaction.
 */
export async function insertLedgerEntries(
  tx: SqlExecutor,
  entries: readonly LedgerEntry[],
  channel: string,
  billImportId: string | null,
): Promise<number> {
  if (entries.length === 0) return 0;
  const result = await tx.query(
    `insert into money_record (kind, gateway, record_no, payment_no, channel, merchant_order_no, part, line_type,
                               amount_cents, fee_cents, currency, occurred_at, bill_import_id)
     select t.kind, t.gateway, t.record_no, t.payment_no, $2, t.merchant_order_no, t.part, t.line_type,
            t.amount_cents::bigint, t.fee_cents::bigint, t.currency, t.occurred_at, $3
       from json_to_recordset($1::json) as t(kind text, gateway text, record_no text, payment_no text,
            merchant_order_no text, part text, line_type text, amount_cents text, fee_cents text, currency text,
            occurred_at timestamptz)
     on conflict (gateway, kind, record_no) do nothing`,
    [
      JSON.stringify(
        entries.map((e) => ({
          kind: e.kind,
          gateway: e.gateway,
          record_no: e.recordNo,
          payment_no: e.paymentNo,
          merchant_order_no: e.merchantOrderNo,
          part: e.part,
          line_type: e.lineType,
          amount_cents: e.amountCents.toString(),
          fee_cents: e.feeCents === null ? null : e.feeCents.toString(),
          currency: e.currency,
          occurred_at: e.occurredAt.toISOString(),
        })),
      ),
      channel,
      billImportId,
    ],
  );
  return result.rowCount ?? 0;
}

async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

const summaryOf = (row: Record<string, unknown>): BillImportSummary => ({
  id: String(row.id),
  format: String(row.format),
  channel: String(row.channel),
  fileName: String(row.file_name),
  sha256: String(row.sha256),
  bytes: Number(row.bytes),
  lines: Number(row.lines),
  entries: Number(row.entries),
  inserted: Number(row.inserted),
  importedAt: row.imported_at as Date,
});

/**
 * Imports a bill file into the ledger in one transaction: all of it, or — at the first defect —
 * nothing, answered with the line and the reason. The same file (by content) a second time
 * changes nothing and answers the first import; the same movement in another file is counted as
 * known, not booked twice.
 */
export async function importBill(
  pool: pg.Pool,
  input: {
    path: string;
    fileName: string;
    format: BillFormat;
    channel: string;
    importedBy: string;
    now: Date;
  },
): Promise<BillImportAnswer> {
  const { sha256, bytes } = await hashFile(input.path);
  const known = await pool.query('select * from bill_import where sha256 = $1', [sha256]);
  if (known.rows[0]) return { ok: true, summary: summaryOf(known.rows[0]), alreadyImported: true };
  try {
    return await inTransaction(pool, async (tx) => {
      const created = await tx.query(
        `insert into bill_import (format, channel, file_name, sha256, bytes, lines, entries, inserted, imported_by, imported_at)
         values ($1, $2, $3, $4, $5, 0, 0, 0, $6, $7)
         on conflict (sha256) do nothing returning id`,
        [
          input.format.id,
          input.channel,
          input.fileName.slice(0, 255),
          sha256,
          bytes,
          input.importedBy,
          input.now,
        ],
      );
      if (!created.rows[0]) {
        const again = await tx.query('select * from bill_import where sha256 = $1', [sha256]);
        return { ok: true as const, summary: summaryOf(again.rows[0]), alreadyImported: true };
      }
      const id = String(created.rows[0].id);
      let inserted = 0;
      const counts = await readBill(input.path, input.format, async (batch) => {
        inserted += await insertLedgerEntries(tx, batch, input.channel, id);
      });
      const { rows } = await tx.query(
        'update bill_import set lines = $2, entries = $3, inserted = $4 where id = $1 returning *',
        [id, counts.lines, counts.entries, inserted],
      );
      return { ok: true as const, summary: summaryOf(rows[0]), alreadyImported: false };
    });
  } catch (error) {
    if (error instanceof BillRejected) return { ok: false, defect: error.defect };
    throw error;
  }
}
