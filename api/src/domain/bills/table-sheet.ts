import type { BillDefect, BillSheet, LedgerEntry, SheetAnswer } from './bill-format.js';

/** A row read by column name. `text` is the cleaned cell, '' when the column is absent or empty. */
export interface NamedRow {
  text(column: string): string;
  line: number;
}

export class RowDefect extends Error {
  constructor(
    readonly field: string | null,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export interface TableSheetSpec {
  /** Columns the header must have; rows are read by these names, never by position. */
  required: readonly string[];
  /** Any one of each group is enough (old and new names of one column). */
  oneOf?: readonly (readonly string[])[];
  /** Cleans a raw cell: backticks, padding. */
  clean(cell: string): string;
  /** The first cell of a line that starts the summary after the rows, if the format has one. */
  summaryMarker?: string;
  /** Turns a row into entries; throws `RowDefect` for a bad field. */
  toEntries(row: NamedRow): LedgerEntry[];
  /** Checks the summary (read by its own header) against the rows; returns a reason or null. */
  checkSummary?(summary: NamedRow): string | null;
  /** Checks at the end of the file, e.g. that a summary was there. */
  checkEnd?(sawSummary: boolean): string | null;
}

/** The shared walk of a header, rows and an optional summary, for every table-shaped bill. */
export function tableSheet(spec: TableSheetSpec): BillSheet {
  let header: Map<string, number> | null = null;
  let summaryHeader: Map<string, number> | null = null;
  let sawSummary = false;
  const named = (index: Map<string, number>, cells: readonly string[], line: number): NamedRow => ({
    line,
    text: (column) => {
      const at = index.get(column);
      return at === undefined ? '' : spec.clean(cells[at] ?? '');
    },
  });
  const defect = (line: number, field: string | null, reason: string): SheetAnswer => ({
    ok: false,
    defect: { line, field, reason },
  });
  return {
    row(cells, line) {
      const cleaned = cells.map(spec.clean);
      if (cleaned.every((c) => c === '')) return { ok: true, entries: [] };
      if (!header) {
        header = new Map(cleaned.map((name, i) => [name, i]));
        const missing = spec.required.filter((c) => !header!.has(c));
        for (const group of spec.oneOf ?? [])
          if (!group.some((c) => header!.has(c))) missing.push(group.join(' or '));
        if (missing.length > 0)
          return defect(line, missing[0], `the header lacks the column ${missing.join(', ')}`);
        return { ok: true, entries: [] };
      }
      if (spec.summaryMarker && cleaned[0] === spec.summaryMarker) {
        summaryHeader = new Map(cleaned.map((name, i) => [name, i]));
        return { ok: true, entries: [] };
      }
      if (summaryHeader) {
        if (sawSummary) return defect(line, null, 'a line after the summary');
        sawSummary = true;
        try {
          const reason = spec.checkSummary?.(named(summaryHeader, cells, line)) ?? null;
          return reason ? defect(line, null, reason) : { ok: true, entries: [] };
        } catch (error) {
          if (error instanceof RowDefect) return defect(line, error.field, error.reason);
          throw error;
        }
      }
      if (cells.length !== header.size)
        return defect(line, null, `the line has ${cells.length} fields where the header has ${header.size}`);
      try {
        return { ok: true, entries: spec.toEntries(named(header, cells, line)) };
      } catch (error) {
        if (error instanceof RowDefect) return defect(line, error.field, error.reason);
        throw error;
      }
    },
    end(lastLine): { ok: true } | { ok: false; defect: BillDefect } {
      if (!header)
        return { ok: false, defect: { line: lastLine, field: null, reason: 'the file has no table' } };
      const reason = spec.checkEnd?.(sawSummary) ?? null;
      return reason ? { ok: false, defect: { line: lastLine, field: null, reason } } : { ok: true };
    },
  };
}
