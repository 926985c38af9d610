import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { clientEnv, run } from './process';

/** Root of this repository. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

const PROJEN = path.join(REPO_ROOT, 'node_modules', '.bin', 'projen');

/**
 * Compiles the package and packs it into `destination`, returning the
 * tarball's path. Compiling first keeps the tarball in step with `src/`.
 */
export function packPackage(destination: string): string {
  run(path.join(REPO_ROOT, 'node_modules', '.bin', 'jsii'), ['--silence-warnings=reserved-word'], { cwd: REPO_ROOT });
  const output = run('npm', ['pack', '--json', '--pack-destination', destination], { cwd: REPO_ROOT });
  const [{ filename }] = JSON.parse(output);
  return path.join(destination, filename);
}

/** Lists the files of a tarball, such as `package/.jsii`. */
export function tarballEntries(tarball: string): string[] {
  return run('tar', ['--list', '--gzip', '--file', tarball]).split('\n').filter(Boolean);
}

/**
 * Creates a client repo the way a user does: `projen new --from <tarball>
 * gcp-app` in an empty directory, then `npx projen`.
 */
export function createClientRepo(tarball: string, dir: string, extraArgs: string[] = []): void {
  fs.mkdirSync(dir, { recursive: true });
  run(PROJEN, ['new', '--from', tarball, 'gcp-app', ...extraArgs], { cwd: dir, env: clientEnv() });
}

/** Runs `npx projen` (the client's default task) in a client repo. */
export function synthesize(dir: string): string {
  return run('npx', ['projen'], { cwd: dir, env: clientEnv() });
}

/** Creates a temporary directory under the system's temporary folder. */
export function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  // mkdtemp makes the folder private; the client's local PostgreSQL runs as
  // the postgres user when the tests run as root and must reach its data.
  fs.chmodSync(dir, 0o755);
  return dir;
}
