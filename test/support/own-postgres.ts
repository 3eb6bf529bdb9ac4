import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../api/src/infra/db/embedded-postgres.js';
import { createLogger } from '../../api/src/infra/logging/logger.js';
import { freePort } from './free-port.js';

/**
 * A PostgreSQL of a test's own (not the run's shared one), so the test can stop, restart and
 * freeze it without disturbing the other test files.
 */
export interface OwnPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP to the server and all its backends: it accepts TCP connections but answers nothing. */
  freeze(): void;
  thaw(): void;
  /** Stops it and removes its files. */
  destroy(): Promise<void>;
}

export async function startOwnPostgres(database = 'orderops'): Promise<OwnPostgres> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderops-own-pg-'));
  const port = await freePort();
  const logger = createLogger('warn', 'own-postgres');
  let running: EmbeddedDatabase | null = await startEmbeddedPostgres({ dataDir, port, database, logger });
  const url = running.url;
  const processes = () => {
    const postmaster = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    return [postmaster, ...childrenOf(postmaster)];
  };
  let frozen: number[] = [];
  const thaw = () => {
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone meanwhile
      }
    }
    frozen = [];
  };
  return {
    url,
    port,
    async stop() {
      await running?.stop();
      running = null;
    },
    async start() {
      running = await startEmbeddedPostgres({ dataDir, port, database, logger });
    },
    freeze() {
      frozen = processes();
      for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    },
    thaw,
    async destroy() {
      thaw();
      await running?.stop().catch(() => undefined);
      running = null;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Pids whose parent is `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return children;
}
