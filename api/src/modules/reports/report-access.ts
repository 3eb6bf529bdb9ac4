/** Staff roles that read the reports, in GraphQL and as CSV (ADMIN always may). */
export const REPORT_READERS = ['OPS', 'SUPERVISOR'] as const;
