import { type Project, YamlFile } from 'projen';
import { BACKEND_DIR } from './template-files';
import type { ResolvedApp } from '../options/defaults';

/** Local PostgreSQL 15 and the backend with reload, as plain data. */
export function dockerComposeConfig(app: ResolvedApp) {
  const database = app.databaseName;
  return {
    services: {
      db: {
        image: 'postgres:15',
        environment: {
          POSTGRES_USER: 'app',
          POSTGRES_DB: database,
          // Local development only: the port is bound to loopback.
          POSTGRES_HOST_AUTH_METHOD: 'trust',
        },
        ports: ['127.0.0.1:5432:5432'],
        volumes: ['db-data:/var/lib/postgresql/data'],
        healthcheck: {
          test: ['CMD', 'pg_isready', '--username', 'app', '--dbname', database],
          interval: '2s',
          timeout: '5s',
          retries: 30,
        },
      },
      backend: {
        build: `./${BACKEND_DIR}`,
        command: [
          'sh',
          '-c',
          // Watching only app/ keeps the reloader off a virtualenv in backend/.
          'alembic upgrade head && uvicorn app.main:app --host 0.0.0.0 --port 8080 --reload --reload-dir app',
        ],
        environment: { DATABASE_URL: `postgresql+pg8000://app@db:5432/${database}` },
        ports: ['127.0.0.1:8080:8080'],
        volumes: [`./${BACKEND_DIR}:/app`],
        depends_on: { db: { condition: 'service_healthy' } },
      },
    },
    volumes: { 'db-data': {} },
  };
}

/** Adds `docker-compose.yml`. */
export function addDockerCompose(project: Project, app: ResolvedApp): YamlFile {
  return new YamlFile(project, 'docker-compose.yml', { obj: dockerComposeConfig(app) });
}
