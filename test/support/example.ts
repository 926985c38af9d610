/**
 * Runs the main job on a built-in example: packs this package, creates a
 * client repo with `projen new --from`, synthesizes it, and serves its
 * backend on a throwaway PostgreSQL 15 while it creates and reads a record.
 * The client repo is left in `.work/example` to look at.
 */
import * as fs from 'fs';
import * as path from 'path';
import { alembic, createDatabase, installBackend, RunningBackend } from './backend';
import { createClientRepo, packPackage, REPO_ROOT, synthesize } from './client-repo';
import { PostgresServer } from './postgres';

async function main(): Promise<void> {
  const work = path.join(REPO_ROOT, '.work');
  const client = path.join(work, 'example');
  if (fs.existsSync(client)) {
    console.log(`Replacing the example client repo from the last run in ${client} ...`);
    fs.rmSync(client, { recursive: true, force: true });
  }

  // The tarball stays next to the client, which refers to it by path.
  const packDir = path.join(work, 'example-pack');
  fs.rmSync(packDir, { recursive: true, force: true });
  fs.mkdirSync(packDir, { recursive: true });
  console.log('Packing projen-gcp-app ...');
  const tarball = packPackage(packDir);

  console.log(`Creating a client repo in ${client} with projen new --from ${tarball} gcp-app ...`);
  createClientRepo(tarball, client);
  synthesize(client);

  const backendDir = path.join(client, 'backend');
  console.log("Installing the backend's requirements into backend/.venv ...");
  const python = installBackend(backendDir);

  const server = await PostgresServer.start();
  let backend: RunningBackend | undefined;
  try {
    createDatabase(server, 'app');
    console.log(`PostgreSQL 15 is listening on 127.0.0.1:${server.port}. Applying migrations ...`);
    alembic(python, backendDir, server, 'app', ['upgrade', 'head']);

    backend = await RunningBackend.start(python, backendDir, server, 'app');
    console.log(`The backend is serving ${backend.baseUrl}.`);

    const created = await fetch(`${backend.baseUrl}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'example item' }),
    });
    const item = (await created.json()) as { id: number };
    console.log(`POST /items -> ${created.status} ${JSON.stringify(item)}`);
    const read = await fetch(`${backend.baseUrl}/items/${item.id}`);
    console.log(`GET /items/${item.id} -> ${read.status} ${JSON.stringify(await read.json())}`);
    if (created.status !== 201 || read.status !== 200) throw new Error(`The backend failed:\n${backend.log}`);
  } finally {
    await backend?.stop();
    await server.stop();
  }
  console.log(`Done. The generated client repo is in ${client}.`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
