import { createReadStream } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import type { BillDefect, BillFormat, LedgerEntry } from '../../domain/bills/bill-format.js';

/** A bill refused as a whole, with the first defect found. */
export class BillRejected extends Error {
  constructor(readonly defect: BillDefect) {
    super(`line ${defect.line}${defect.field ? ` (${defect.field})` : ''}: ${defect.reason}`);
    this.name = 'BillRejected';
  }
}

export interface BillReadCounts {
  /** Lines of the file read, header and notes included. */
  lines: number;
  entries: number;
}

/** Longest field accepted: a bill cell is a number, a time or a name, never a novel. */
const MAX_FIELD_CHARS = 4096;

/**
 * Streams a bill file (plain or zipped) through its encoding and a CSV parser into `format`,
 * handing entries over in batches, so memory holds one batch whatever the file's size. A zip is
 * read with yauzl (random access needs the file on disk: uploads are spooled there first) and its
 * detail CSV taken, skipping Alipay's 汇总 (summary) file. Throws `BillRejected` at the first defect.
 */
export async function readBill(
  path: string,
  format: BillFormat,
  onBatch: (entries: LedgerEntry[]) => Promise<void>,
  batchSize = 2000,
): Promise<BillReadCounts> {
  const source = (await isZip(path)) ? await openZippedCsv(path) : createReadStream(path);
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
    max_record_size: MAX_FIELD_CHARS * 64,
    ...(format.hashComments ? { comment: '#', comment_no_infix: true } : {}),
  });
  const decoded = source.pipe(iconv.decodeStream(format.encoding));
  source.on('error', (e: Error) => decoded.emit('error', e));
  decoded.on('error', (e: Error) => parser.destroy(e));
  decoded.pipe(parser);
  const sheet = format.open();
  let batch: LedgerEntry[] = [];
  let entries = 0;
  let lines = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      lines = info.lines;
      const tooLong = record.findIndex((cell) => cell.length > MAX_FIELD_CHARS);
      if (tooLong >= 0)
        throw new BillRejected({
          line: lines,
          field: null,
          reason: `field ${tooLong + 1} is longer than ${MAX_FIELD_CHARS} characters`,
        });
      const answer = sheet.row(record, lines);
      if (!answer.ok) throw new BillRejected(answer.defect);
      for (const entry of answer.entries) batch.push(entry);
      if (batch.length >= batchSize) {
        entries += batch.length;
        await onBatch(batch);
        batch = [];
      }
    }
  } catch (error) {
    source.destroy();
    if (error instanceof BillRejected) throw error;
    const csvLine = (error as { lines?: number }).lines;
    throw new BillRejected({
      line: csvLine ?? lines + 1,
      field: null,
      reason: `not readable as CSV: ${(error as Error).message}`,
    });
  }
  const end = sheet.end(lines);
  if (!end.ok) throw new BillRejected(end.defect);
  if (batch.length > 0) {
    entries += batch.length;
    await onBatch(batch);
  }
  return { lines, entries };
}

async function isZip(path: string): Promise<boolean> {
  const file = await openFile(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await file.read(head, 0, 4, 0);
    return bytesRead === 4 && head.readUInt32LE(0) === 0x04034b50;
  } finally {
    await file.close();
  }
}

function openZippedCsv(path: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, decodeStrings: false }, (error, zip) => {
      if (error || !zip)
        return reject(
          new BillRejected({ line: 0, field: null, reason: `not a readable zip: ${error?.message}` }),
        );
      let found = false;
      zip.on('entry', (entry: yauzl.Entry) => {
        // Names in Chinese zips are often GBK without the UTF-8 flag.
        const raw = entry.fileName as unknown as Buffer;
        const name = entry.generalPurposeBitFlag & 0x800 ? raw.toString('utf8') : iconv.decode(raw, 'gbk');
        if (!name.toLowerCase().endsWith('.csv') || name.includes('汇总')) return zip.readEntry();
        found = true;
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          stream.on('end', () => zip.close());
          resolve(stream);
        });
      });
      zip.on('end', () => {
        if (!found)
          reject(new BillRejected({ line: 0, field: null, reason: 'the zip holds no detail CSV file' }));
      });
      zip.on('error', (e: Error) =>
        reject(new BillRejected({ line: 0, field: null, reason: `broken zip: ${e.message}` })),
      );
      zip.readEntry();
    });
  });
}
