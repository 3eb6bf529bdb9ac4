import type { TimeoutReportRow } from './timeout-report.js';

/** Byte order mark: without it Excel reads UTF-8 as the local code page and garbles Chinese. */
export const UTF8_BOM = '\uFEFF';

const COLUMNS: ReadonlyArray<readonly [header: string, value: (row: TimeoutReportRow) => string]> = [
  ['环节', (r) => r.stageLabel],
  ['环节代码', (r) => r.stage],
  ['处理组', (r) => r.groupName ?? ''],
  ['处理组ID', (r) => r.groupId ?? ''],
  ['负责人', (r) => r.ownerName ?? ''],
  ['负责人ID', (r) => r.ownerId ?? ''],
  ['处理单量', (r) => String(r.handled)],
  ['按时完成', (r) => String(r.onTime)],
  ['超时完成', (r) => String(r.late)],
  ['按时率', (r) => (r.handled === 0 ? '' : `${((r.onTime / r.handled) * 100).toFixed(1)}%`)],
  ['平均处理时长(分钟)', (r) => (r.avgMinutes === null ? '' : r.avgMinutes.toFixed(1))],
  ['P90处理时长(分钟)', (r) => (r.p90Minutes === null ? '' : r.p90Minutes.toFixed(1))],
  ['升级次数', (r) => String(r.escalations)],
  ['未完成且已超时', (r) => String(r.openOverdue)],
];

/** The Chinese header row, in column order. */
export const TIMEOUT_CSV_HEADERS: readonly string[] = COLUMNS.map(([header]) => header);

/**
 * The report as CSV for Excel: UTF-8 with a BOM, one header row, CRLF line ends (RFC 4180).
 * Text that Excel would run as a formula (a group named "=…") is prefixed with an apostrophe.
 */
export function timeoutReportCsv(rows: readonly TimeoutReportRow[]): string {
  const lines = [
    TIMEOUT_CSV_HEADERS.map(cell),
    ...rows.map((row) => COLUMNS.map(([, value]) => cell(value(row)))),
  ];
  return `${UTF8_BOM}${lines.map((line) => line.join(',')).join('\r\n')}\r\n`;
}

function cell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
