import type { StaffRole } from '../../domain/auth/viewer.js';

/**
 * Who may do what with reconciliation (ADMIN always may). FINANCE owns the queue; supervisors may
 * read it to follow their shops; nobody else, and no partner key, sees money records.
 *
 * | operation                                    | roles               |
 * |----------------------------------------------|---------------------|
 * | read runs, discrepancies, reports, export    | FINANCE, SUPERVISOR |
 * | start a run, decide discrepancies, invoices  | FINANCE             |
 * | upload bills                                 | FINANCE             |
 */
export const RECONCILIATION_READERS: readonly StaffRole[] = ['FINANCE', 'SUPERVISOR'];
export const RECONCILIATION_WRITERS: readonly StaffRole[] = ['FINANCE'];
