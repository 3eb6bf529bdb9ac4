import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * Samples this thread's CPU with the V8 profiler while `work` runs, and sums the self time by
 * package (`graphql`, `pg`, `@apollo/server`, …; the platform's own code is `api/src`) and by
 * function. `(idle)` is time the thread waited for I/O. With `CPU_PROFILE_OUT=<file>` the raw
 * profile is written there too.
 */
export async function profileCpu(work: () => Promise<void>): Promise<{
  byPackage: { name: string; percent: number }[];
  byFunction: { name: string; percent: number }[];
}> {
  const session = new Session();
  session.connect();
  let profiled: Profile | null = null;
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    try {
      await work();
    } finally {
      const { profile } = await session.post('Profiler.stop');
      profiled = profile as unknown as Profile;
    }
  } finally {
    session.disconnect();
  }
  const profile = profiled!;
  // The whole profile, for inclusive times or Chrome DevTools (`.cpuprofile`).
  if (process.env.CPU_PROFILE_OUT) writeFileSync(process.env.CPU_PROFILE_OUT, JSON.stringify(profile));
  const total = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0) || 1;
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { url, functionName, lineNumber } = node.callFrame;
    const pkg = packageOf(url, functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + hits);
    const file = url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/(api|bench)\//, '$1/');
    const name = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + hits);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, hits]) => ({ name, percent: Math.round((hits / total) * 1000) / 10 }));
  return { byPackage: top(packages, 12), byFunction: top(functions, 15) };
}

interface Profile {
  nodes: { callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  if (url.includes('/api/src/')) return 'api/src';
  if (url.includes('/bench/')) return 'bench';
  if (url.startsWith('node:')) return 'node (built-in)';
  return url;
}
