import { readFileSync } from 'node:fs';
import os from 'node:os';

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

/** CPU seconds used so far by the processes given (from /proc; Linux only, 0 elsewhere). */
export function cpuSecondsOf(pids: readonly number[]): number {
  const ticks = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      // the process is gone
    }
  }
  return total;
}
