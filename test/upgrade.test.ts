import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { alembic, createDatabase, installBackend } from './support/backend';
import { makeTempDir, packPackage, REPO_ROOT } from './support/client-repo';
import { PostgresServer } from './support/postgres';
import { clientEnv, run, runCombined } from './support/process';
import { LocalRegistry } from './support/registry';
import { editManifest, prepareVersion } from './support/versions';

/**
 * A fix made once in the project type reaches a client repo on its next
 * `npx projen upgrade`, and everything the client's team wrote stays theirs.
 * Versions are real tarballs published to a private registry on loopback.
 */
const work = makeTempDir('upgrade');
const client = path.join(work, 'orders');
const PROJEN = path.join(REPO_ROOT, 'node_modules', '.bin', 'projen');
let registry: LocalRegistry;
let server: PostgresServer | undefined;

const NOTICE = {
  id: 'routes-report-platform-version',
  file: 'backend/app/routes.py',
  expect: 'PLATFORM_VERSION',
  message: 'Add PLATFORM_VERSION from app.version to the responses of your status route.',
};

/** Version B: one managed file changed, one added, one removed, and a notice for an owned file. */
function releaseB(packageDir: string): void {
  const templates = path.join(packageDir, 'templates', 'backend');
  fs.appendFileSync(path.join(templates, 'Dockerfile'), 'LABEL org.opencontainers.image.vendor="platform team"\n');
  fs.writeFileSync(path.join(templates, 'app', 'version.py'), '"""Version of the platform files."""\n\nPLATFORM_VERSION = "1.1.0"\n');
  fs.rmSync(path.join(templates, '.dockerignore'));
  editManifest(packageDir, (manifest) => {
    manifest.backend = manifest.backend.filter((entry: any) => entry.path !== '.dockerignore');
    manifest.backend.push({ path: 'app/version.py', owner: 'platform', reason: 'version of the platform files' });
    manifest.notices.push(NOTICE);
  });
}

/** Runs a command in the client repo against the local registry; returns stdout and stderr. */
function inClient(command: string, args: string[]): string {
  return runCombined(command, args, { cwd: client, env: clientEnv(registry.env) });
}

/** `git status --porcelain`, one `XY path` entry a line, sorted. */
function gitStatus(): string[] {
  return inClient('git', ['status', '--porcelain', '--untracked-files=all']).split('\n').filter(Boolean).sort();
}

function commitAll(message: string): void {
  inClient('git', ['add', '-A']);
  inClient('git', ['commit', '--quiet', '-m', message]);
}

function installedVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(client, 'node_modules', 'projen-gcp-app', 'package.json'), 'utf-8')).version;
}

function hashes(files: string[]): Record<string, string> {
  return Object.fromEntries(
    files.map((file) => [file, crypto.createHash('sha256').update(fs.readFileSync(path.join(client, file))).digest('hex')]),
  );
}

beforeAll(async () => {
  registry = await LocalRegistry.start(path.join(work, 'registry'));
  const tarball = packPackage(work);
  registry.publish(prepareVersion(tarball, path.join(work, 'a'), '1.0.0'));
});

afterAll(async () => {
  await server?.stop();
  await registry?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

test('client is created from the registry', () => {
  fs.mkdirSync(client);
  inClient(PROJEN, ['new', '--from', 'projen-gcp-app', 'gcp-app']);

  expect(installedVersion()).toBe('1.0.0');
  expect(JSON.parse(fs.readFileSync(path.join(client, 'package.json'), 'utf-8')).devDependencies['projen-gcp-app']).toBe('^1.0.0');
  expect(fs.readFileSync(path.join(client, '.projenrc.ts'), 'utf-8')).toContain('devDeps: ["projen-gcp-app"]');
  expect(inClient('git', ['log', '--oneline']).trim().split('\n')).toHaveLength(1);
  expect(gitStatus()).toEqual([]);
});

test('second synth leaves git status clean', () => {
  inClient('npx', ['projen']);
  expect(gitStatus()).toEqual([]);
});

test('hand edit of a managed file is undone', () => {
  const file = path.join(client, 'backend', 'app', 'health.py');
  fs.chmodSync(file, 0o644);
  fs.appendFileSync(file, '# quick fix\n');
  expect(gitStatus()).toEqual([' M backend/app/health.py']);

  inClient('npx', ['projen']);
  expect(gitStatus()).toEqual([]);
});

describe('upgrade to a new minor version', () => {
  const owned = [
    'backend/app/models.py',
    'backend/app/routes.py',
    'backend/migrations/versions/0001_create_items.py',
    'backend/migrations/versions/0002_add_item_notes.py',
    'backend/tests/test_items.py',
    'README.md',
  ];
  let before: Record<string, string>;
  let output: string;

  beforeAll(() => {
    // The team's work: a column, a route, its migration and a new environment.
    const models = path.join(client, 'backend', 'app', 'models.py');
    fs.writeFileSync(
      models,
      fs.readFileSync(models, 'utf-8').replace(
        '    description: Mapped[str | None] = mapped_column(Text)\n',
        '    description: Mapped[str | None] = mapped_column(Text)\n    notes: Mapped[str | None] = mapped_column(Text)\n',
      ),
    );
    fs.appendFileSync(
      path.join(client, 'backend', 'app', 'routes.py'),
      '\n\n@router.get("/count")\ndef count_items(session: SessionDep) -> int:\n    return len(session.scalars(select(Item.id)).all())\n',
    );
    fs.writeFileSync(
      path.join(client, 'backend', 'migrations', 'versions', '0002_add_item_notes.py'),
      [
        '"""Add notes to items."""',
        '',
        'import sqlalchemy as sa',
        'from alembic import op',
        '',
        'revision = "0002"',
        'down_revision = "0001"',
        '',
        '',
        'def upgrade() -> None:',
        '    op.add_column("items", sa.Column("notes", sa.Text(), nullable=True))',
        '',
        '',
        'def downgrade() -> None:',
        '    op.drop_column("items", "notes")',
        '',
      ].join('\n'),
    );
    const projenrc = path.join(client, '.projenrc.ts');
    fs.writeFileSync(
      projenrc,
      fs.readFileSync(projenrc, 'utf-8').replace(
        '    { name: "prod", projectId: "orders-prod" },\n',
        '    { name: "prod", projectId: "orders-prod" },\n    { name: "qa", projectId: "orders-qa" },\n',
      ),
    );
    inClient('npx', ['projen']);
    commitAll('Add notes, a count route and a qa environment');
    before = hashes(owned);

    registry.publish(prepareVersion(path.join(work, 'projen-gcp-app-0.0.0.tgz'), path.join(work, 'b'), '1.1.0', releaseB));
    registry.publish(prepareVersion(path.join(work, 'projen-gcp-app-0.0.0.tgz'), path.join(work, 'c'), '2.0.0', releaseB));
    output = inClient('npx', ['projen', 'upgrade']);
  });

  test('moves to the newest minor, not the next major', () => {
    expect(installedVersion()).toBe('1.1.0');
    expect(JSON.parse(fs.readFileSync(path.join(client, 'package.json'), 'utf-8')).devDependencies['projen-gcp-app']).toBe('^1.1.0');
  });

  test('managed files follow the new version', () => {
    expect(fs.readFileSync(path.join(client, 'backend', 'Dockerfile'), 'utf-8')).toContain('org.opencontainers.image.vendor="platform team"');
    expect(fs.readFileSync(path.join(client, 'backend', 'app', 'version.py'), 'utf-8')).toMatch(/^# ~~ Generated by projen/);
    expect(fs.existsSync(path.join(client, 'backend', '.dockerignore'))).toBe(false);
  });

  test('owned files are byte-identical', () => {
    expect(hashes(owned)).toEqual(before);
  });

  test("the team's projenrc still applies", () => {
    expect(fs.existsSync(path.join(client, 'infra', 'qa', 'main.tf.json'))).toBe(true);
    expect(fs.readFileSync(path.join(client, 'docs', 'platform.md'), 'utf-8')).toContain('| qa | `orders-qa` |');
  });

  test('git status lists exactly the expected paths', () => {
    expect(gitStatus()).toEqual([
      ' D backend/.dockerignore',
      ' M .gitattributes',
      ' M .gitignore',
      ' M .projen/files.json',
      ' M .projen/gcp-app.json',
      ' M backend/Dockerfile',
      ' M docs/platform.md',
      ' M package-lock.json',
      ' M package.json',
      '?? backend/app/version.py',
    ]);
  });

  test('owned file change is announced once', () => {
    expect(output).toContain(`${NOTICE.file} needs a change for this version of projen-gcp-app: ${NOTICE.message}`);
    const again = inClient('npx', ['projen']);
    expect(again).not.toContain(NOTICE.message);
    expect(JSON.parse(fs.readFileSync(path.join(client, '.projen', 'gcp-app.json'), 'utf-8')).noticesShown).toEqual([NOTICE.id]);
  });

  test("client's backend tests still pass", async () => {
    const backendDir = path.join(client, 'backend');
    const python = installBackend(backendDir);
    server = await PostgresServer.start();
    createDatabase(server, 'app');
    alembic(python, backendDir, server, 'app', ['upgrade', 'head']);
    expect(server.sql("SELECT column_name FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'notes'", 'app').trim()).toBe('notes');

    const tests = run(python, ['-m', 'pytest', '-q'], { cwd: backendDir, env: { ...process.env, DATABASE_URL: server.url('postgres', 'app') } });
    expect(tests).toMatch(/passed/);
  });
});

test('pinned version is not upgraded', () => {
  commitAll('Upgrade projen-gcp-app to 1.1.0');
  registry.publish(prepareVersion(path.join(work, 'projen-gcp-app-0.0.0.tgz'), path.join(work, 'd'), '1.2.0', releaseB), 'release-1');
  const projenrc = path.join(client, '.projenrc.ts');
  fs.writeFileSync(projenrc, fs.readFileSync(projenrc, 'utf-8').replace('devDeps: ["projen-gcp-app"]', 'devDeps: ["projen-gcp-app@1.1.0"]'));

  inClient('npx', ['projen', 'upgrade']);

  expect(installedVersion()).toBe('1.1.0');
  expect(JSON.parse(fs.readFileSync(path.join(client, 'package.json'), 'utf-8')).devDependencies['projen-gcp-app']).toBe('1.1.0');
});
