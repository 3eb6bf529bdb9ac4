import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

export interface MachineDescription {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
}

export function describeMachine(): MachineDescription {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

export const machineLine = (m: MachineDescription) =>
  `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, node ${m.node}, ${m.os}`;

/** The 1, 5 and 15 minute load averages, rounded to 0.01. */
export function loadAverage(): { one: number; five: number; fifteen: number } {
  const [one, five, fifteen] = os.loadavg().map((v) => Math.round(v * 100) / 100);
  return { one, five, fifteen };
}

export const loadLine = () => {
  const l = loadAverage();
  return `load average ${l.one} / ${l.five} / ${l.fifteen} (1 / 5 / 15 min)`;
};

/** Resident memory of this process in MiB. */
export const rssMiB = () => Math.round(process.memoryUsage().rss / 1024 ** 2);

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * CPU seconds used so far by a PostgreSQL cluster: its postmaster, its live children, and (in
 * the postmaster's "children" counters) every child that has exited, so the sum only grows.
 * Linux only.
 */
export function postgresCpuSeconds(dataDir: string): number {
  const postmaster = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const own = statFields(postmaster);
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = statFields(Number(entry));
      if (Number(fields[1]) === postmaster) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited while we looked
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/** CPU seconds all processes of the machine have been busy (not idle, not waiting for I/O). */
function machineBusySeconds(): number {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = values.map(Number);
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

export interface CpuUse {
  seconds: number;
  /** CPU seconds of this process (all its threads). */
  node: number;
  /** CPU seconds of the benchmark's PostgreSQL. */
  postgres: number;
  /** CPU seconds of everything else on the machine over the same time (other people's work). */
  others: number;
}

/** Starts counting CPU use; the function returned gives what was used since. */
export function cpuMeter(postgresDataDir: string): () => CpuUse {
  const t0 = performance.now();
  const node0 = process.cpuUsage();
  const pg0 = postgresCpuSeconds(postgresDataDir);
  const busy0 = machineBusySeconds();
  return () => {
    const node = process.cpuUsage(node0);
    const use = {
      seconds: (performance.now() - t0) / 1000,
      node: (node.user + node.system) / 1e6,
      postgres: postgresCpuSeconds(postgresDataDir) - pg0,
      others: 0,
    };
    use.others = Math.max(0, machineBusySeconds() - busy0 - use.node - use.postgres);
    const round = (v: number) => Math.round(v * 10) / 10;
    return {
      seconds: round(use.seconds),
      node: round(use.node),
      postgres: round(use.postgres),
      others: round(use.others),
    };
  };
}

/** `node 12.3 s, PostgreSQL 20.1 s, other processes 5.0 s of 70 core-seconds`. */
export const cpuLine = (use: CpuUse) =>
  `CPU: node ${use.node} s, PostgreSQL ${use.postgres} s, other processes ${use.others} s ` +
  `of ${Math.round(use.seconds * describeMachine().cores)} core-seconds`;
