import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeTempDir, packPackage, REPO_ROOT } from './support/client-repo';
import { clientEnv, run } from './support/process';
import { LocalRegistry } from './support/registry';
import { prepareVersion } from './support/versions';

/**
 * The fleet command upgrades ten client repos from version 1.0.0 to 1.1.0,
 * published to a private registry on loopback. One repo has uncommitted
 * changes and one has failing tests.
 */
const work = makeTempDir('fleet');
const FLEET = path.join(REPO_ROOT, 'lib', 'fleet', 'cli.js');
const PROJEN = path.join(REPO_ROOT, 'node_modules', '.bin', 'projen');
const repos = Array.from({ length: 10 }, (_, index) => path.join(work, `client-${index}`));
const DIRTY = repos[3];
const FAILING = repos[7];
const reposFile = path.join(work, 'repos.txt');
const stateFile = path.join(work, 'state.json');
let registry: LocalRegistry;

const env = () => clientEnv(registry.env);
const git = (repo: string, ...args: string[]) => run('git', args, { cwd: repo, env: env() }).trim();

function fleet(...args: string[]): { status: number; output: string } {
  const result = spawnSync(process.execPath, [FLEET, ...args], { cwd: work, env: env(), encoding: 'utf-8' });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

function installedVersion(repo: string): string {
  return JSON.parse(fs.readFileSync(path.join(repo, 'node_modules', 'projen-gcp-app', 'package.json'), 'utf-8')).version;
}

function rowOf(output: string, repo: string): string {
  return output.split('\n').find((line) => line.startsWith(`${repo} `)) ?? '';
}

beforeAll(async () => {
  registry = await LocalRegistry.start(path.join(work, 'registry'));
  const tarball = packPackage(work);
  registry.publish(prepareVersion(tarball, path.join(work, 'a'), '1.0.0'));

  const template = path.join(work, 'template');
  fs.mkdirSync(template);
  run(PROJEN, ['new', '--from', 'projen-gcp-app', 'gcp-app'], { cwd: template, env: env() });
  for (const repo of repos) {
    run('git', ['clone', '--quiet', template, repo], { env: env() });
    run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repo, env: env() });
  }

  fs.appendFileSync(path.join(DIRTY, 'README.md'), '\nWork in progress.\n');
  fs.mkdirSync(path.join(FAILING, 'projenrc'));
  fs.writeFileSync(path.join(FAILING, 'projenrc', 'broken.ts'), 'export const port: number = "8080";\n');
  git(FAILING, 'add', '-A');
  git(FAILING, 'commit', '--quiet', '-m', 'Add a broken helper');

  fs.writeFileSync(reposFile, repos.map((repo) => path.relative(work, repo)).join('\n') + '\n');
  registry.publish(
    prepareVersion(tarball, path.join(work, 'b'), '1.1.0', (packageDir) =>
      fs.appendFileSync(path.join(packageDir, 'templates', 'backend', 'Dockerfile'), 'LABEL org.opencontainers.image.vendor="platform team"\n'),
    ),
  );
});

afterAll(async () => {
  await registry?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('fleet upgrade', () => {
  let first: { status: number; output: string };

  beforeAll(() => {
    first = fleet('upgrade', '--to', '1.1.0', '--repos', reposFile, '--jobs', '3', '--test-command', 'npx projen typecheck', '--state', stateFile);
  });

  test('table has a row per repo', () => {
    expect(first.output.split('\n')[0]).toMatch(/^repo\s+from\s+to\s+files changed\s+tests\s+result$/);
    for (const repo of repos) expect(rowOf(first.output, repo)).not.toBe('');
    expect(first.status).toBe(1);
  });

  test('healthy repos are upgraded on a branch', () => {
    for (const repo of repos.filter((candidate) => candidate !== DIRTY && candidate !== FAILING)) {
      expect(rowOf(first.output, repo)).toMatch(/1\.0\.0\s+1\.1\.0\s+[1-9]\d*\s+passed\s+upgraded$/);
      expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('upgrade/projen-gcp-app-1.1.0');
      expect(git(repo, 'log', '-1', '--format=%s')).toBe('Upgrade projen-gcp-app to 1.1.0');
      expect(git(repo, 'status', '--porcelain')).toBe('');
      expect(installedVersion(repo)).toBe('1.1.0');
      expect(fs.readFileSync(path.join(repo, 'backend', 'Dockerfile'), 'utf-8')).toContain('platform team');
    }
  });

  test('dirty repo is not touched', () => {
    expect(rowOf(first.output, DIRTY)).toMatch(/skipped: uncommitted changes$/);
    expect(git(DIRTY, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(git(DIRTY, 'status', '--porcelain')).toBe('M README.md');
    expect(git(DIRTY, 'branch', '--list', 'upgrade/*')).toBe('');
    expect(installedVersion(DIRTY)).toBe('1.0.0');
  });

  test('failing repo is left as it was', () => {
    expect(rowOf(first.output, FAILING)).toMatch(/failed\s+tests failed/);
    expect(git(FAILING, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(git(FAILING, 'log', '-1', '--format=%s')).toBe('Add a broken helper');
    expect(git(FAILING, 'status', '--porcelain')).toBe('');
    expect(git(FAILING, 'branch', '--list', 'upgrade/*')).toBe('');
    expect(installedVersion(FAILING)).toBe('1.0.0');
  });

  test('second run resumes from the state', () => {
    const head = git(repos[0], 'rev-parse', 'HEAD');
    const second = fleet('upgrade', '--to', '1.1.0', '--repos', reposFile, '--jobs', '3', '--test-command', 'npx projen typecheck', '--state', stateFile);
    expect(rowOf(second.output, repos[0])).toContain('upgraded (upgraded by an earlier run)');
    expect(git(repos[0], 'rev-parse', 'HEAD')).toBe(head);
    expect(rowOf(second.output, DIRTY)).toMatch(/skipped: uncommitted changes$/);
  });
});

test('status shows versions and hand edits', () => {
  const edited = path.join(repos[1], 'backend', 'app', 'health.py');
  fs.chmodSync(edited, 0o644);
  fs.appendFileSync(edited, '# quick fix\n');
  git(repos[1], 'commit', '--quiet', '-am', 'Patch the health route by hand');

  const { status, output } = fleet('status', '--repos', reposFile, '--latest', '1.1.0');
  expect(status).toBe(0);
  expect(rowOf(output, repos[0])).toMatch(/1\.1\.0\s+no\s+0\s+none$/);
  expect(rowOf(output, repos[1])).toMatch(/1\.1\.0\s+no\s+0\s+backend\/app\/health\.py$/);
  expect(rowOf(output, DIRTY)).toMatch(/1\.0\.0\s+yes \(1\.1\.0\)\s+1\s+none$/);
  expect(rowOf(output, FAILING)).toMatch(/1\.0\.0\s+yes \(1\.1\.0\)/);
  expect(git(repos[1], 'status', '--porcelain')).toBe('');
});

test('bad input ends with one clear error', () => {
  expect(fleet('upgrade', '--to', '1.1.0', '--repos', path.join(work, 'missing.txt'))).toEqual({
    status: 2,
    output: `Repos file not found: ${path.join(work, 'missing.txt')}. Write one repo path a line.\n`,
  });
  expect(fleet('upgrade', '--repos', reposFile).output).toBe('Missing --to. Run fleet --help.\n');
  expect(fleet('deploy').status).toBe(2);
  expect(fleet('upgrade', '--to', '1.1.0', '--repos', reposFile, '--jobs', '0').output).toContain('Invalid --jobs "0"');

  const missingRepo = path.join(work, 'one-missing.txt');
  fs.writeFileSync(missingRepo, 'no-such-repo\n');
  const result = fleet('upgrade', '--to', '1.1.0', '--repos', missingRepo, '--state', path.join(work, 'other-state.json'));
  expect(result.status).toBe(1);
  expect(result.output).toContain('failed (repo not found)');
});

test('unknown version changes nothing', () => {
  const head = git(FAILING, 'rev-parse', 'HEAD');
  const list = path.join(work, 'failing.txt');
  fs.writeFileSync(list, `${FAILING}\n`);
  fs.rmSync(path.join(FAILING, 'projenrc', 'broken.ts'));
  git(FAILING, 'commit', '--quiet', '-am', 'Remove the broken helper');
  const result = fleet('upgrade', '--to', '9.9.9', '--repos', list, '--state', path.join(work, 'unknown-state.json'), '--test-command', 'npx projen typecheck');
  expect(result.status).toBe(1);
  expect(rowOf(result.output, FAILING)).toContain('failed (npm install');
  expect(git(FAILING, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
  expect(git(FAILING, 'status', '--porcelain')).toBe('');
  expect(git(FAILING, 'rev-parse', 'HEAD~1')).toBe(head);
  expect(installedVersion(FAILING)).toBe('1.0.0');
});

test('unreachable registry changes nothing', () => {
  const repo = repos[8];
  const head = git(repo, 'rev-parse', 'HEAD');
  const list = path.join(work, 'offline.txt');
  fs.writeFileSync(list, `${repo}\n`);
  // Port 9 on loopback has no listener, so every registry request fails at once.
  const result = spawnSync(
    process.execPath,
    [FLEET, 'upgrade', '--to', '1.2.0', '--repos', list, '--state', path.join(work, 'offline-state.json'), '--test-command', 'npx projen typecheck'],
    { cwd: work, env: { ...env(), npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0', npm_config_offline: 'false' }, encoding: 'utf-8' },
  );
  expect(result.status).toBe(1);
  expect(rowOf(`${result.stdout}`, repo)).toContain('failed (npm install');
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('upgrade/projen-gcp-app-1.1.0');
  expect(git(repo, 'status', '--porcelain')).toBe('');
  expect(git(repo, 'branch', '--list', 'upgrade/projen-gcp-app-1.2.0')).toBe('');
});
