import * as fs from 'fs';
import * as path from 'path';
import { alembic, APP_ROLE, createDatabase, installBackend, RunningBackend } from './support/backend';
import { createClientRepo, makeTempDir, packPackage, synthesize, tarballEntries } from './support/client-repo';
import { PostgresServer } from './support/postgres';
import { Background, clientEnv, run, runCombined, waitFor } from './support/process';

/**
 * The main job end to end: pack the package, create a client repo with
 * `projen new --from`, synthesize it, then migrate and serve its backend on a
 * real PostgreSQL 15.
 */
const work = makeTempDir('e2e');
const client = path.join(work, 'orders');
let tarball: string;
let server: PostgresServer | undefined;
let backend: RunningBackend | undefined;

afterAll(async () => {
  await backend?.stop();
  await server?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

test('tarball contains the jsii manifest', () => {
  tarball = packPackage(work);
  const entries = tarballEntries(tarball);
  expect(entries).toContain('package/.jsii');
  expect(entries).toContain('package/templates/backend/app/database.py');
  expect(entries).not.toContain('package/test/end-to-end.test.ts');
});

test('projen new creates the client repo', () => {
  createClientRepo(tarball, client);
  const projenrc = fs.readFileSync(path.join(client, '.projenrc.ts'), 'utf-8');
  expect(projenrc).toContain('import { GcpAppProject } from "projen-gcp-app";');
  expect(projenrc).toContain('region: "europe-west1"');
  expect(projenrc).toContain('{ name: "prod", projectId: "orders-prod" }');
  expect(projenrc).toContain(`devDeps: ["projen-gcp-app@file:${tarball}"]`);
});

test('npx projen writes every file', () => {
  const output = synthesize(client);
  expect(output).not.toMatch(/error/i);
  const expected = [
    'infra/staging/main.tf.json',
    'infra/prod/main.tf.json',
    'cloudbuild.yaml',
    'docker-compose.yml',
    'README.md',
    'backend/app/database.py',
    'backend/app/models.py',
    'backend/app/routes.py',
    'backend/alembic.ini',
    'backend/migrations/env.py',
    'backend/migrations/versions/0001_create_items.py',
    'backend/requirements.txt',
    'backend/Dockerfile',
    'backend/tests/test_items.py',
  ];
  for (const file of expected) {
    expect({ file, exists: fs.existsSync(path.join(client, file)) }).toEqual({ file, exists: true });
  }
});

test('client has no library scaffolding', () => {
  for (const file of ['src', 'test', 'LICENSE', '.npmignore', 'tsconfig.json', '.projenrc.js', '.github', 'jest.config.json']) {
    expect({ file, exists: fs.existsSync(path.join(client, file)) }).toEqual({ file, exists: false });
  }
});

test('fast synth leaves type errors to the tests', () => {
  const projenrc = path.join(client, '.projenrc.ts');
  const original = fs.readFileSync(projenrc, 'utf-8');
  // The synth that turns the mode on still runs with the type check, because
  // the task that runs .projenrc.ts comes from the synth before it.
  const fast = original.replace('  region: "europe-west1",\n', '  region: "europe-west1",\n  projenrcTypeCheck: false,\n');
  fs.writeFileSync(projenrc, fast);
  try {
    synthesize(client);
    fs.writeFileSync(projenrc, fast.replace('project.synth();', 'const port: number = "8080";\nproject.synth();'));
    synthesize(client);
    expect(() => run('npx', ['projen', 'typecheck'], { cwd: client, env: clientEnv() })).toThrow(/TS2322/);
    expect(() => run('npx', ['projen', 'test'], { cwd: client, env: clientEnv() })).toThrow(/TS2322/);
  } finally {
    fs.writeFileSync(projenrc, original);
    synthesize(client);
  }
  run('npx', ['projen', 'typecheck'], { cwd: client, env: clientEnv() });
});

describe('client tasks', () => {
  const task = (...args: string[]) => runCombined('npx', ['projen', ...args], { cwd: client, env: clientEnv() });

  afterAll(() => {
    runCombined('bash', ['scripts/local-postgres.sh', 'stop'], { cwd: client, env: clientEnv() });
  });

  test('tasks are listed with descriptions', () => {
    const help = task('--help');
    for (const name of ['dev', 'backend:test', 'backend:lint', 'db:migrate', 'db:revision', 'infra:plan', 'infra:apply']) {
      expect(help).toContain(name);
    }
  });

  test('backend:lint passes', () => {
    expect(task('backend:lint')).toContain('All checks passed!');
  });

  test('backend:test uses a local PostgreSQL', () => {
    const output = task('backend:test');
    expect(output).toMatch(/\d+ passed/);
    expect(fs.existsSync(path.join(client, '.local', 'postgres', 'data', 'PG_VERSION'))).toBe(true);
    // The task stops the server it started.
    expect(() => runCombined('bash', ['scripts/local-postgres.sh', 'status'], { cwd: client, env: clientEnv() })).toThrow(
      /PostgreSQL is not running/,
    );
  });

  test('db:migrate and db:revision work', () => {
    task('db:start');
    task('db:migrate');
    const versions = path.join(client, 'backend', 'migrations', 'versions');
    const before = new Set(fs.readdirSync(versions));
    task('db:revision', 'check autogenerate');
    const created = fs.readdirSync(versions).filter((file) => !before.has(file) && file.endsWith('.py'));
    expect(created).toHaveLength(1);
    expect(fs.readFileSync(path.join(versions, created[0]), 'utf-8')).toContain('check autogenerate');
    fs.rmSync(path.join(versions, created[0]));
  });

  test('dev serves the API', async () => {
    const port = 18080 + Math.floor(Math.random() * 1000);
    const dev = new Background('npx', ['projen', 'dev'], { cwd: client, env: clientEnv({ PORT: String(port) }) });
    try {
      await waitFor(
        async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
        120_000,
        () => `npx projen dev did not serve /readyz:\n${dev.log}`,
      );
      expect(dev.log).toContain('Docker is not available');
    } finally {
      await dev.stop();
    }
  });

  test('infra:plan names a missing environment', () => {
    expect(() => task('infra:plan', 'qa')).toThrow(/Environment 'qa' not found.*Environments: prod, staging/s);
  });

  test('infra:apply needs a saved plan', () => {
    expect(() => task('infra:apply', 'staging')).toThrow(/No saved plan at infra\/staging\/tfplan/);
  });

  test('test runs typecheck, lint and tests', () => {
    const output = task('test');
    expect(output).toContain('typecheck');
    expect(output).toMatch(/\d+ passed/);
  });
});

describe('backend on PostgreSQL 15', () => {
  const backendDir = () => path.join(client, 'backend');
  let python: string;

  beforeAll(async () => {
    python = installBackend(backendDir());
    server = await PostgresServer.start();
    createDatabase(server, 'app');
  });

  test('alembic upgrade creates the tables', () => {
    alembic(python, backendDir(), server!, 'app', ['upgrade', 'head']);
    expect(server!.sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", 'app').trim().split('\n')).toEqual([
      'alembic_version',
      'items',
    ]);
  });

  test('app role may only use rows', () => {
    const privileges = server!.sql(
      `SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = '${APP_ROLE}' AND table_name = 'items' ORDER BY 1`,
      'app',
    );
    expect(privileges.trim().split('\n')).toEqual(['DELETE', 'INSERT', 'SELECT', 'UPDATE']);
    expect(server!.sql(`SELECT has_schema_privilege('${APP_ROLE}', 'public', 'CREATE')`, 'app').trim()).toBe('f');
  });

  test('record is created and read over HTTP', async () => {
    backend = await RunningBackend.start(python, backendDir(), server!, 'app');

    const created = await fetch(`${backend.baseUrl}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'first order', description: 'created by the end-to-end test' }),
    });
    expect(created.status).toBe(201);
    const item = (await created.json()) as { id: number; name: string };
    expect(item.name).toBe('first order');

    const read = await fetch(`${backend.baseUrl}/items/${item.id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: item.id, name: 'first order', description: 'created by the end-to-end test' });

    expect((await fetch(`${backend.baseUrl}/items/999999`)).status).toBe(404);
    expect((await fetch(`${backend.baseUrl}/readyz`)).status).toBe(200);
  });

  test('backend survives a database outage', async () => {
    const item = (await (await fetch(`${backend!.baseUrl}/items?limit=1`)).json()) as Array<{ id: number }>;
    server!.pause();
    try {
      const ready = await fetch(`${backend!.baseUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get('content-type')).toContain('application/json');

      for (const request of [
        fetch(`${backend!.baseUrl}/items/${item[0].id}`),
        fetch(`${backend!.baseUrl}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"during outage"}' }),
      ]) {
        const response = await request;
        const body = await response.text();
        expect({ status: response.status, body }).toEqual({
          status: 503,
          body: '{"detail":"The database is unavailable. Try again shortly."}',
        });
      }
      expect((await fetch(`${backend!.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      server!.resume();
    }

    expect((await fetch(`${backend!.baseUrl}/readyz`)).status).toBe(200);
    expect((await fetch(`${backend!.baseUrl}/items/${item[0].id}`)).status).toBe(200);
  });

  test('generated Python passes ruff', () => {
    run(python, ['-m', 'ruff', 'check', '.'], { cwd: backendDir() });
    run(python, ['-m', 'ruff', 'format', '--check', '.'], { cwd: backendDir() });
  });

  test('backend tests pass', () => {
    const output = run(python, ['-m', 'pytest', '-q'], {
      cwd: backendDir(),
      env: { ...process.env, DATABASE_URL: server!.url(APP_ROLE, 'app') },
    });
    expect(output).toMatch(/passed/);
  });

  test('alembic downgrade drops the tables', async () => {
    await backend?.stop();
    backend = undefined;
    alembic(python, backendDir(), server!, 'app', ['downgrade', 'base']);
    expect(server!.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'items'", 'app').trim()).toBe('0');
  });
});
