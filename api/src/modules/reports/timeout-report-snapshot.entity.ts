import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { TimeoutReportRow } from './timeout-report.js';

/**
 * The timeout report of one Shanghai business day, kept as it was when generated (names included),
 * by the `report.daily-timeout` job shortly after the day ends. Generating a day again replaces it.
 */
@Entity({ tableName: 'timeout_report_snapshot' })
export class TimeoutReportSnapshot {
  /** The business day, `YYYY-MM-DD`. */
  @PrimaryKey({ type: 'date' })
  day!: string;

  @Property({ type: 'timestamptz' })
  generatedAt!: Date;

  @Property({ type: 'jsonb' })
  rows!: TimeoutReportRow[];
}
