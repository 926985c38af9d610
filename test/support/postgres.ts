import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort, run } from './process';

const SEARCH_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/local/pgsql/bin'];

/** Finds the PostgreSQL 15 server binaries, or throws saying how to install them. */
export function postgresBinDir(): string {
  const candidates = process.env.PG_BIN_DIR ? [process.env.PG_BIN_DIR] : SEARCH_DIRS;
  for (const dir of candidates) {
    const postgres = path.join(dir, 'postgres');
    if (fs.existsSync(postgres) && run(postgres, ['--version']).includes(' 15.')) return dir;
  }
  throw new Error(
    `PostgreSQL 15 server binaries not found in ${candidates.join(', ')}. ` +
      'Install them (Debian: apt-get install postgresql-15) or set PG_BIN_DIR to their folder.',
  );
}

/**
 * A throwaway PostgreSQL 15 server on a loopback port with trust
 * authentication. initdb refuses to run as root, so as root the server runs as
 * the `postgres` user.
 */
export class PostgresServer {
  static async start(): Promise<PostgresServer> {
    const bin = postgresBinDir();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-'));
    const server = new PostgresServer(root, await freePort(), bin);
    if (process.getuid?.() === 0) run('chown', ['-R', 'postgres:postgres', root]);

    server.asOwner('initdb', ['--pgdata', server.dataDir, '--username', 'postgres', '--auth', 'trust', '--no-sync']);
    server.startServer();
    return server;
  }

  public readonly port: number;
  private readonly root: string;
  private readonly bin: string;

  private constructor(root: string, port: number, bin: string) {
    this.root = root;
    this.port = port;
    this.bin = bin;
  }

  /** Stops the server but keeps its data, to simulate an outage. */
  pause(): void {
    this.asOwner('pg_ctl', ['stop', '--pgdata', this.dataDir, '--mode', 'fast', '--wait']);
  }

  /** Starts the server again after pause(), on the same port and data. */
  resume(): void {
    this.startServer();
  }

  private startServer(): void {
    this.asOwner('pg_ctl', [
      'start',
      '--pgdata',
      this.dataDir,
      '--wait',
      '--log',
      path.join(this.root, 'server.log'),
      '-o',
      `-c listen_addresses=127.0.0.1 -c port=${this.port} -c unix_socket_directories=${this.root} -c fsync=off`,
    ]);
  }

  private get dataDir(): string {
    return path.join(this.root, 'data');
  }

  private asOwner(program: string, args: string[]): string {
    const command = path.join(this.bin, program);
    if (process.getuid?.() === 0) return run('runuser', ['-u', 'postgres', '--', command, ...args]);
    return run(command, args);
  }

  /** Runs SQL as the superuser on `database` and returns psql's output. */
  sql(statements: string, database = 'postgres'): string {
    return run(path.join(this.bin, 'psql'), [
      '--host', '127.0.0.1', '--port', String(this.port), '--username', 'postgres',
      '--dbname', database, '--no-psqlrc', '--set', 'ON_ERROR_STOP=1', '--tuples-only', '--no-align',
      '--command', statements,
    ]);
  }

  /** Returns a SQLAlchemy URL for the pg8000 driver. */
  url(user: string, database: string): string {
    return `postgresql+pg8000://${encodeURIComponent(user)}@127.0.0.1:${this.port}/${database}`;
  }

  async stop(): Promise<void> {
    try {
      this.asOwner('pg_ctl', ['stop', '--pgdata', this.dataDir, '--mode', 'fast', '--wait']);
    } finally {
      fs.rmSync(this.root, { recursive: true, force: true });
    }
  }
}
