import { type ChildProcess, spawn } from 'node:child_process';
import { waitFor } from './wait-for.js';

export interface PlatformProcess {
  proc: ChildProcess;
  /** Everything the process printed so far, stdout and stderr together. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** Sends a signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Starts `npm start`'s entry point (`start`, `api` or `worker`) as a real child process, exactly
 * as the scripts do (`node --import tsx api/src/main.ts <command>`), with the given environment.
 */
export function spawnPlatform(
  command: 'start' | 'api' | 'worker',
  env: Record<string, string>,
): PlatformProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts', command], {
    // No demo data unless a test asks for it: tests start from the database they describe.
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      DEMO_SEED: 'false',
      DEMO_SIMULATOR: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  proc.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    proc.on('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  return {
    proc,
    output: () => text,
    exited,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** Waits until `GET /readyz` answers 200, or fails with what the process printed. */
export async function waitUntilReady(
  baseUrl: string,
  platform: PlatformProcess,
  timeoutMs = 90_000,
): Promise<void> {
  try {
    await waitFor(
      async () => {
        if (platform.proc.exitCode !== null) throw new Error('the process exited');
        const response = await fetch(`${baseUrl}/readyz`).catch(() => null);
        return response?.status === 200;
      },
      { timeoutMs, intervalMs: 100, message: `${baseUrl}/readyz` },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- process output ---\n${platform.output()}`);
  }
}

/** Posts one GraphQL operation and returns `data`, failing on any GraphQL error. */
export async function graphql<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`GraphQL errors: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data as T;
}

/** Password given to the first `admin` account of platforms started by the tests. */
export const TEST_ADMIN_PASSWORD = 'e2e-admin-password';

/** Signs in as the bootstrap admin and returns the `Authorization` header value. */
export async function adminAuthorization(baseUrl: string): Promise<string> {
  const data = await graphql<{ login: { token: string | null } }>(
    baseUrl,
    'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
    { u: 'admin', p: TEST_ADMIN_PASSWORD },
  );
  if (!data.login.token) throw new Error('admin sign-in failed');
  return `Bearer ${data.login.token}`;
}
