import { type ChildProcess, spawn } from 'node:child_process';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { freePort } from './free-port.js';
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
 * from the TypeScript sources (`node --import tsx api/src/main.ts <command>`, as `npm run start:ts`), with the given environment.
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

export interface ApiAndWorker {
  api: PlatformProcess;
  worker: PlatformProcess;
  baseUrl: string;
  /** The bootstrap admin's `Authorization` header value. */
  authorization: string;
  stop(): Promise<void>;
}

/**
 * Starts the two halves as separate processes on one database: the `api` on a free port (ready
 * when `/readyz` answers), then a `worker` named `workerName` (ready when it says so).
 */
export async function startApiAndWorker(
  env: Record<string, string>,
  workerName: string,
): Promise<ApiAndWorker> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const api = spawnPlatform('api', { ...env, PORT: String(port), HOST: '127.0.0.1' });
  let worker: PlatformProcess | undefined;
  const stop = async () => {
    await Promise.all([api.stop(), worker?.stop()]);
  };
  try {
    await waitUntilReady(baseUrl, api);
    const authorization = await adminAuthorization(baseUrl);
    const started = spawnPlatform('worker', { ...env, WORKER_NAME: workerName });
    worker = started;
    await waitFor(() => started.output().includes('worker ready'), {
      timeoutMs: 60_000,
      message: 'worker ready',
    });
    return { api, worker: started, baseUrl, authorization, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Opens a graphql-ws connection without credentials, subscribes, and returns its close code. */
export async function closeCodeWithoutCredentials(baseUrl: string, subscription: string): Promise<number> {
  const client = createClient({
    url: `${baseUrl.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
  try {
    const closed = await new Promise<{ code: number }>((resolve) => {
      client.on('closed', (event) => resolve(event as { code: number }));
      client.subscribe({ query: subscription }, { next: () => {}, error: () => {}, complete: () => {} });
    });
    return closed.code;
  } finally {
    await client.dispose();
  }
}
