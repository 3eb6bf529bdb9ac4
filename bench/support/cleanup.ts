/**
 * Runs a benchmark's `main` and, whatever happens (success, a thrown error, Ctrl-C or SIGTERM),
 * the clean-up steps registered with `onCleanup`, newest first, each at most once.
 */
const steps: Array<() => Promise<void> | void> = [];
/** A step that hangs (e.g. a server that does not close) must not keep the rest from running. */
const STEP_TIMEOUT_MS = 40_000;
let cleaning: Promise<void> | null = null;

export function onCleanup(step: () => Promise<void> | void): void {
  steps.push(step);
}

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    while (steps.length > 0) {
      const step = steps.pop()!;
      try {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.resolve().then(step),
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`took more than ${STEP_TIMEOUT_MS / 1000} s`)),
              STEP_TIMEOUT_MS,
            );
          }),
        ]).finally(() => clearTimeout(timer));
      } catch (error) {
        console.error(`clean-up step failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })();
  return cleaning;
}

export async function runBench(name: string, main: () => Promise<void>): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${name}: ${signal}, cleaning up…`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  // An uncaught failure or a closed stdout (e.g. piped into `head`) must not skip the clean-up.
  const fail = (error: unknown) => {
    // Once cleaning up, connections that the stopping PostgreSQL ends may still report it.
    if (cleaning && (error as { code?: string } | null)?.code === '57P01') return;
    console.error(
      `\n${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    void cleanup().finally(() => process.exit(1));
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  process.stdout.on('error', () => undefined);
  try {
    await main();
    await cleanup();
  } catch (error) {
    console.error(
      `\n${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    await cleanup();
    process.exit(1);
  }
}
