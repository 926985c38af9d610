import * as path from 'path';
import type { PostgresServer } from './postgres';
import { Background, freePort, run, waitFor } from './process';

/** Roles the end-to-end run uses, shaped like Cloud SQL's IAM user names. */
export const MIGRATOR_ROLE = 'api-migrate@example-project.iam';
export const APP_ROLE = 'api-run@example-project.iam';

/**
 * Creates a virtualenv in the backend folder and installs the generated
 * development requirements from pip's configured index.
 */
export function installBackend(backendDir: string): string {
  run('python3', ['-m', 'venv', '.venv'], { cwd: backendDir });
  const python = path.join(backendDir, '.venv', 'bin', 'python');
  run(python, ['-m', 'pip', 'install', '--quiet', '-r', 'requirements-dev.txt'], {
    cwd: backendDir,
    env: { ...process.env, PIP_RETRIES: '0' },
  });
  return python;
}

/**
 * Prepares a database the way Cloud SQL has it after `terraform apply`: a
 * migrator role that owns the schema and an app role with no privileges.
 */
export function createDatabase(server: PostgresServer, database: string): void {
  server.sql(`CREATE ROLE "${MIGRATOR_ROLE}" LOGIN`);
  server.sql(`CREATE ROLE "${APP_ROLE}" LOGIN`);
  // In PostgreSQL 15 the database owner may create objects in public; on
  // Cloud SQL the migrator gets that right through cloudsqlsuperuser.
  server.sql(`CREATE DATABASE ${database} OWNER "${MIGRATOR_ROLE}"`);
}

/** Runs an Alembic command as the migrator, granting the app role its rows. */
export function alembic(python: string, backendDir: string, server: PostgresServer, database: string, args: string[]): string {
  return run(python, ['-m', 'alembic', ...args], {
    cwd: backendDir,
    env: { ...process.env, DATABASE_URL: server.url(MIGRATOR_ROLE, database), APP_DB_USERS: APP_ROLE },
  });
}

/** The backend served by uvicorn on a loopback port, connected as the app role. */
export class RunningBackend {
  static async start(
    python: string,
    backendDir: string,
    server: PostgresServer,
    database: string,
    env: NodeJS.ProcessEnv = {},
  ): Promise<RunningBackend> {
    const port = await freePort();
    const uvicorn = new Background(python, ['-m', 'uvicorn', 'app.main:app', '--host', '127.0.0.1', '--port', String(port)], {
      cwd: backendDir,
      env: { ...process.env, ...env, DATABASE_URL: server.url(APP_ROLE, database) },
    });
    const backend = new RunningBackend(uvicorn, `http://127.0.0.1:${port}`);
    await waitFor(
      async () => !uvicorn.exited && (await fetch(`${backend.baseUrl}/healthz`)).ok,
      30_000,
      () => `uvicorn did not answer /healthz. Its output:\n${uvicorn.log}`,
    );
    return backend;
  }

  private constructor(
    private readonly process: Background,
    public readonly baseUrl: string,
  ) {}

  get log(): string {
    return this.process.log;
  }

  async stop(): Promise<void> {
    await this.process.stop();
  }
}
