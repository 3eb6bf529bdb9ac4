/**
 * Property runs against every public edge: each channel adapter, the signed orders and events
 * webhooks, and the public GraphQL inputs (login, submitOrders, recordOrderEvents, orders).
 * Usage: `npm run fuzz [-- <runs per edge> [<seed>]]` (default 10,000 per edge, a random seed).
 * Runs on a throw-away embedded PostgreSQL (or DATABASE_URL); prints what each edge answered and
 * the first broken case, and exits 1 when an edge broke.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../api/src/infra/db/embedded-postgres.js';
import { createLogger } from '../api/src/infra/logging/logger.js';
import { progress, runAllEdges } from '../test/properties/edge-properties.js';
import { startEdgeServer } from '../test/properties/edge-server.js';
import { freePort } from '../test/support/free-port.js';

const runs = Number(process.argv[2] ?? 10_000);
const seed = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
if (!Number.isSafeInteger(runs) || runs < 1) {
  console.error('usage: npm run fuzz -- [runs per edge] [seed]');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'orderops-fuzz-'));
const database = process.env.DATABASE_URL
  ? null
  : await startEmbeddedPostgres({
      dataDir: dir,
      port: await freePort(),
      database: 'fuzz',
      logger: createLogger('warn', 'fuzz'),
    });
const server = await startEdgeServer(process.env.DATABASE_URL ?? database!.url);
let broken = 0;
try {
  const started = performance.now();
  progress.report = (edge, cases) =>
    console.error(`  … ${edge}: ${cases} cases (${Math.round((performance.now() - started) / 1000)} s)`);
  console.log(`${runs} generated cases per edge${seed === undefined ? '' : `, seed ${seed}`}\n`);
  const findings = await runAllEdges(server, runs, seed);
  for (const finding of findings) {
    const answers = Object.entries(finding.answers)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([answer, n]) => `${answer} ×${n}`)
      .join(', ');
    console.log(
      `${finding.failure ? 'BROKEN' : 'held  '}  ${finding.edge.padEnd(28)} ${String(finding.runs).padStart(6)} runs  ${String(finding.ms).padStart(7)} ms  ${answers}`,
    );
    if (finding.failure) {
      broken += 1;
      console.log(`        first broken case: ${finding.failure}`);
    }
  }
  const total = findings.reduce((sum, f) => sum + f.runs, 0);
  console.log(
    `\n${total} cases over ${findings.length} edges in ${Math.round((performance.now() - started) / 1000)} s; ${broken} edge(s) broke`,
  );
} finally {
  await server.close();
  await database?.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(broken > 0 ? 1 : 0);
