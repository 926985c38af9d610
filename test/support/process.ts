import { type ChildProcess, execFileSync, type ExecFileSyncOptions, spawn, spawnSync } from 'child_process';
import * as net from 'net';

/** Runs a command to completion and returns its output; throws with the output when it fails. */
export function run(command: string, args: string[], options: ExecFileSyncOptions = {}): string {
  try {
    return execFileSync(command, args, { encoding: 'utf-8', stdio: 'pipe', ...options }) as string;
  } catch (error: any) {
    const output = [error.stdout, error.stderr].filter(Boolean).join('\n');
    throw new Error(`${command} ${args.join(' ')} failed (exit code ${error.status}):\n${output}`);
  }
}

/**
 * Runs a command to completion and returns its standard output and error
 * together, for commands that report on stderr; throws when it fails.
 */
export function runCombined(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const result = spawnSync(command, args, { ...options, encoding: 'utf-8' });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit code ${result.status}):\n${output}`);
  }
  return output;
}

/** Environment for commands run in a client repo: projen uses `npm ci` when CI is set, which needs a lockfile. */
export function clientEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.CI;
  // jest sets these; projen skips installs and file writes it thinks are tests.
  delete env.JEST_WORKER_ID;
  delete env.NODE_ENV;
  // `projen new` commits the new repo; a clean CI machine has no Git identity.
  env.GIT_AUTHOR_NAME ??= 'projen-gcp-app tests';
  env.GIT_AUTHOR_EMAIL ??= 'tests@projen-gcp-app.invalid';
  env.GIT_COMMITTER_NAME ??= env.GIT_AUTHOR_NAME;
  env.GIT_COMMITTER_EMAIL ??= env.GIT_AUTHOR_EMAIL;
  return env;
}

/** Asks the kernel for a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** A long-running process whose output is kept for error messages. */
export class Background {
  private readonly child: ChildProcess;
  private output = '';

  constructor(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
    // A process group of its own, so that stop() also ends the children a
    // wrapper such as npx starts.
    this.child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child.stdout!.on('data', (chunk) => (this.output += chunk));
    this.child.stderr!.on('data', (chunk) => (this.output += chunk));
  }

  get log(): string {
    return this.output;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Stops the process group with SIGTERM, or SIGKILL after 10 s, and waits for the process to exit. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.signalGroup('SIGTERM');
    const timer = setTimeout(() => this.signalGroup('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.child.pid!, signal);
    } catch {
      // The group is already gone.
    }
  }
}

/** Polls `probe` until it returns true, or throws after `timeoutMs` with `describe()`. */
export async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Timed out after ${timeoutMs} ms: ${describe()}`);
}
