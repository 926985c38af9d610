import { spawn, spawnSync } from 'child_process';
import { once } from 'events';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { makeTempDir, packPackage, REPO_ROOT } from './support/client-repo';
import { clientEnv, freePort, run } from './support/process';
import { LocalRegistry } from './support/registry';
import { RegistryServer, synthesizeRegistry } from './support/registry-server';
import { prepareVersion } from './support/versions';
import { cloneSource } from '../src/fleet/checkout';

/**
 * The fleet command upgrades ten client repos from version 1.0.0 to 1.1.0,
 * published to a private registry on loopback. One repo has uncommitted
 * changes and one has failing tests. At the end, fleet reads some of the
 * same repos from the platform's project registry.
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
  expect(fleet('upgrade', '--to', 'notaversion', '--repos', reposFile)).toEqual({
    status: 2,
    output: 'Invalid --to "notaversion": use an exact version such as 1.4.0.\n',
  });
  expect(fleet('status', '--latest', 'x y; rm', '--repos', reposFile).output).toBe('Invalid --latest "x y; rm": use an exact version such as 1.4.0.\n');

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
  // The row gives npm's reason, not only the command that failed.
  expect(rowOf(result.output, FAILING)).toMatch(/failed in \S+: npm error/);
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

test.each([
  ['acme/shop', 'https://github.com', 'https://github.com/acme/shop.git'],
  ['acme/shop', '/srv/git/', '/srv/git/acme/shop.git'],
  ['/srv/git/shop.git', '/srv/git', '/srv/git/shop.git'],
  ['https://github.com/acme/shop.git', 'https://github.com/', 'https://github.com/acme/shop.git'],
  ['file:///srv/git/shop.git', 'file:///srv/git', 'file:///srv/git/shop.git'],
])('clone source of %s with base %s', (repository, cloneBase, expected) => {
  expect(cloneSource(repository, cloneBase)).toBe(expected);
});

test.each([
  ['/srv/git/shop.git', 'https://github.com', /outside --clone-base https:\/\/github\.com/],
  ['https://gitlab.example/acme/shop.git', 'https://github.com', /outside --clone-base/],
  ['ssh://git@github.com/acme/shop.git', 'https://github.com', /outside --clone-base/],
  ['git@github.com:acme/shop.git', 'https://github.com', /outside --clone-base/],
  ['file:///tmp/evil', 'file:///srv/git', /outside --clone-base/],
  ['/srv/git/../../tmp/evil', '/srv/git', /outside --clone-base/],
  ['acme/../../evil', 'https://github.com', /is not a path such as "acme\/shop"/],
  ['acme/shop\nred', 'https://github.com', /is not a path such as/],
  ['ext::sh -c touch% /tmp/x', 'https://github.com', /is not a path such as/],
  ['/srv/git/team/..', '/srv/git/team', /outside --clone-base/],
  ['https://github.com/acme/%2e%2e/mallory/evil', 'https://github.com', /outside --clone-base/],
])('clone source %j is rejected', (repository, cloneBase, message) => {
  expect(() => cloneSource(repository, cloneBase)).toThrow(message);
});

/**
 * fleet reads projects from the real registry (uvicorn, PostgreSQL 15 and a
 * loopback token issuer). The workspace is the folder of the repos above, so
 * client-0 and client-1 are used as they are. `cloned` is cloned from a
 * local bare repo, and `broken` from a clone base that lacks it.
 */
describe('fleet with the project registry', () => {
  const READER = 'platform-reader@acme-host.iam.gserviceaccount.com';
  const ADMIN = 'ops@acme.com';
  const remotes = path.join(work, 'remotes');
  const bareRepo = path.join(remotes, 'cloned.git');
  const cloned = path.join(work, 'cloned');
  const broken = path.join(work, 'broken');
  let projects: RegistryServer;

  /** Runs fleet without blocking the event loop, which serves the token issuer's signing keys to the registry. */
  async function fleetAsync(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ status: number; output: string }> {
    const childEnv = { ...env(), ...extraEnv };
    if (extraEnv.REGISTRY_TOKEN === undefined) delete childEnv.REGISTRY_TOKEN;
    const child = spawn(process.execPath, [FLEET, ...args], { cwd: work, env: childEnv });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const [status] = await once(child, 'close');
    return { status, output };
  }

  const registryArgs = (url: string) => ['--registry', url, '--workspace', work, '--clone-base', remotes];

  beforeAll(async () => {
    const registryDir = synthesizeRegistry(
      {
        name: 'acme-platform',
        projectId: 'acme-host',
        regions: ['europe-west1'],
        registry: { clients: ['group:client-builds@acme.com'], readers: ['group:platform-team@acme.com'], admins: [`user:${ADMIN}`] },
      },
      path.join(work, 'platform'),
    );
    projects = await RegistryServer.start(registryDir, { REGISTRY_ADMINS: ADMIN });

    // repos[0] is on its upgrade branch by now, so the clone gets version 1.1.0 and a lockfile for it.
    run('git', ['clone', '--quiet', '--bare', repos[0], bareRepo], { env: env() });
    const registration = { environments: ['staging', 'prod'], project_type_version: '1.1.0' };
    await projects.register('client-0', { ...registration, repository: 'acme/client-0' }, ADMIN);
    await projects.register('client-1', { ...registration, repository: 'acme/client-1' }, ADMIN);
    await projects.register('cloned', { ...registration, repository: bareRepo }, ADMIN);
    await projects.register('broken', { ...registration, repository: 'acme/broken' }, ADMIN);
  });

  afterAll(async () => {
    await projects?.stop();
  });

  test('invalid flags end with one clear error', () => {
    expect(fleet('status', '--repos', reposFile, '--registry', 'http://127.0.0.1:1')).toEqual({
      status: 2,
      output: 'Use either --repos or --registry, not both. Run fleet --help.\n',
    });
    expect(fleet('status').output).toBe('Missing --repos or --registry. Run fleet --help.\n');
    expect(fleet('status', '--registry', 'http://127.0.0.1:1').output).toMatch(/^Missing --workspace: /);
    expect(fleet('status', '--repos', reposFile, '--workspace', work).output).toBe('--workspace applies only with --registry. Run fleet --help.\n');
    expect(fleet('status', '--registry', 'registry.internal', '--workspace', work).output).toMatch(/^Invalid --registry "registry\.internal"/);
  });

  test('bad token ends with the 401 detail', async () => {
    const token = projects.issuer.tokenFor(READER, 'https://shop-api-123.europe-west1.run.app');
    const result = await fleetAsync(['status', ...registryArgs(projects.url), '--latest', '1.1.0'], { REGISTRY_TOKEN: token });
    expect(result.status).toBe(2);
    expect(result.output).toMatch(/^The registry rejected the token \(HTTP 401\): Invalid credentials: Audience doesn't match\. To get a token, set REGISTRY_TOKEN/);
    expect(result.output.trimEnd().split('\n')).toHaveLength(1);
    expect(result.output).not.toContain(token);
    expect(fs.existsSync(cloned)).toBe(false);
  });

  test('unreachable registry ends the run', async () => {
    // freePort returns a port whose listener is closed again, so the connection is refused.
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await fleetAsync(['upgrade', '--to', '1.1.0', ...registryArgs(url)], { REGISTRY_TOKEN: 'unused' });
    expect(result.status).toBe(2);
    expect(result.output).toBe(`Could not reach the registry at ${url}: connect ECONNREFUSED ${url.slice('http://'.length)}. Check --registry and the network.\n`);
    expect(fs.existsSync(cloned)).toBe(false);
    expect(fs.existsSync(path.join(work, 'fleet-state.json'))).toBe(false);
  });

  test('malformed registry responses end the run', async () => {
    const responses: Record<string, [number, string, string]> = {
      '/html/projects': [200, 'text/html', '<html><body>Sign in</body></html>'],
      '/object/projects': [200, 'application/json', '{"projects": []}'],
      '/unnamed/projects': [200, 'application/json', '[{"repository": "acme/shop"}]'],
      '/traversal/projects': [200, 'application/json', '[{"name": "../shop", "repository": "acme/shop"}]'],
      '/busy/projects': [503, 'application/json', '{"detail": "Cannot verify tokens right now. Try again shortly."}'],
    };
    const server = http.createServer((request, response) => {
      const [status, contentType, body] = responses[request.url ?? ''] ?? [404, 'text/plain', 'not found'];
      response.writeHead(status, { 'Content-Type': contentType });
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const statusOf = (route: string) => fleetAsync(['status', ...registryArgs(`${base}${route}`), '--latest', '1.1.0'], { REGISTRY_TOKEN: 'unused' });
    try {
      const cases: Array<[string, RegExp]> = [
        ['/html', /^The registry's response to GET .*\/html\/projects is not JSON: <html><body>Sign in/],
        ['/object', /^The registry's response to GET .*\/object\/projects has an unexpected shape: expected a JSON list of projects/],
        ['/unnamed', /has an unexpected shape: item 0 has no valid "name"/],
        ['/traversal', /has an unexpected shape: item 0 has no valid "name" .*"\.\.\/shop"/],
        ['/busy', /^The registry returned HTTP 503 for GET .*\/busy\/projects: Cannot verify tokens right now\. Try again shortly\.$/m],
      ];
      for (const [route, message] of cases) {
        const result = await statusOf(route);
        expect(result.status).toBe(2);
        expect(result.output).toMatch(message);
        expect(result.output.trimEnd().split('\n')).toHaveLength(1);
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(fs.existsSync(cloned)).toBe(false);
    expect(fs.existsSync(path.join(work, 'shop'))).toBe(false);
  });

  test('missing gcloud explains how to get a token', async () => {
    const emptyBin = path.join(work, 'empty-bin');
    fs.mkdirSync(emptyBin, { recursive: true });
    const result = await fleetAsync(['status', ...registryArgs(projects.url)], { PATH: emptyBin });
    expect(result.status).toBe(2);
    expect(result.output).toContain('No token for the registry: REGISTRY_TOKEN is not set and gcloud is not installed.');
    expect(result.output).toContain(`set REGISTRY_TOKEN to a Google ID token whose audience is ${projects.url}`);
    expect(result.output).toContain('impersonate one');
    expect(fs.existsSync(cloned)).toBe(false);
  });

  test('status covers registered projects', async () => {
    const heads = [repos[0], repos[1]].map((repo) => git(repo, 'rev-parse', 'HEAD'));
    const token = projects.tokenFor(READER);
    const { status, output } = await fleetAsync(['status', ...registryArgs(projects.url), '--latest', '1.1.0'], { REGISTRY_TOKEN: token });

    expect(output).not.toContain(token);
    expect(rowOf(output, repos[0])).toMatch(/1\.1\.0\s+no\s+0\s+none$/);
    expect(rowOf(output, repos[1])).toMatch(/1\.1\.0\s+no\s+0\s+backend\/app\/health\.py$/);
    expect([repos[0], repos[1]].map((repo) => git(repo, 'rev-parse', 'HEAD'))).toEqual(heads);

    expect(rowOf(output, cloned)).toMatch(/1\.1\.0\s+no\s+0\s+none$/);
    expect(git(cloned, 'remote', 'get-url', 'origin')).toBe(bareRepo);
    expect(git(cloned, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('upgrade/projen-gcp-app-1.1.0');

    const brokenSource = path.join(remotes, 'acme', 'broken.git');
    expect(rowOf(output, broken)).toMatch(/^\S+\s+-\s+-\s+0\s+error: git clone of (\S+) failed: fatal: /);
    expect(rowOf(output, broken)).toContain(`git clone of ${brokenSource} failed`);
    expect(fs.existsSync(broken)).toBe(false);
    expect(status).toBe(1);

    // Without --clone-base, a missing folder is reported, not cloned.
    const withoutBase = await fleetAsync(['status', '--registry', projects.url, '--workspace', work, '--latest', '1.1.0'], {
      REGISTRY_TOKEN: token,
    });
    expect(rowOf(withoutBase.output, broken)).toContain('error: not checked out, and fleet clones only with --clone-base');
    expect(fs.existsSync(broken)).toBe(false);
  });

  test('upgrade covers registered projects', async () => {
    const state = path.join(work, 'registry-state.json');
    const args = ['upgrade', '--to', '1.1.0', ...registryArgs(projects.url), '--state', state, '--test-command', 'npx projen typecheck'];
    const { status, output } = await fleetAsync(args, { REGISTRY_TOKEN: projects.tokenFor(READER) });

    for (const repo of [repos[0], repos[1], cloned]) expect(rowOf(output, repo)).toMatch(/already on version$/);
    expect(rowOf(output, broken)).toMatch(/not run\s+failed \(git clone of \S+broken\.git failed: fatal: /);
    expect(Object.keys(JSON.parse(fs.readFileSync(state, 'utf-8'))).sort()).toEqual([broken, repos[0], repos[1], cloned].sort());
    expect(status).toBe(1);
  });
});
