/**
 * PostgreSQL's memory settings for a machine, from its memory (the usual rules of thumb for a
 * dedicated database machine, scaled down where the platform shares it): a quarter of the memory
 * for shared buffers (at most 8 GB), three quarters as the planner's cache estimate, a work
 * memory per sort or hash that 200 connections can use at once without swapping, and more for
 * index builds and vacuum. The embedded PostgreSQL starts with these; the README recommends the
 * same for an external server.
 */

const MB = 1024 * 1024;

export interface PostgresMemorySettings {
  shared_buffers: string;
  effective_cache_size: string;
  work_mem: string;
  maintenance_work_mem: string;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const mb = (bytes: number) => `${Math.floor(bytes / MB)}MB`;

/** The settings for a machine with `memoryBytes` of memory and `maxConnections` connections. */
export function postgresMemorySettings(memoryBytes: number, maxConnections = 200): PostgresMemorySettings {
  const memory = Math.max(256 * MB, memoryBytes);
  const shared = clamp(memory / 4, 32 * MB, 8192 * MB);
  return {
    shared_buffers: mb(shared),
    effective_cache_size: mb(clamp((memory * 3) / 4, 128 * MB, Number.MAX_SAFE_INTEGER)),
    // Memory outside the buffers, shared by every connection's sorts (a query may run two).
    work_mem: mb(clamp((memory - shared) / (maxConnections * 2), 4 * MB, 64 * MB)),
    maintenance_work_mem: mb(clamp(memory / 20, 64 * MB, 2048 * MB)),
  };
}

/** `-c name=value` flags for the postgres command line. */
export function settingsFlags(settings: PostgresMemorySettings): string[] {
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

/**
 * The memory to tune for: `EMBEDDED_PG_MEMORY_MB` when set (tests give their servers a small
 * one), otherwise the machine's.
 */
export function memoryToTuneFor(env: NodeJS.ProcessEnv, machineBytes: number): number {
  const override = Number(env.EMBEDDED_PG_MEMORY_MB);
  return Number.isFinite(override) && override > 0 ? override * MB : machineBytes;
}
