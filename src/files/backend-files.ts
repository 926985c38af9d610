import * as path from 'path';
import { type Project, SampleFile } from 'projen';
import { ManagedTemplateFile, TEMPLATES_DIR } from './template-file';

/** Who a generated file belongs to after the first synth. */
export enum FileOwner {
  /** Rewritten from the package on every synth; edits are undone. */
  PLATFORM = 'platform',
  /** Written once when missing; never touched again. */
  USER = 'user',
}

export interface GeneratedFile {
  /** Path in the client repo. */
  readonly path: string;
  readonly owner: FileOwner;
  /** Why the file has this owner, shown in the client README. */
  readonly reason: string;
}

/** Folder of the backend in the client repo. */
export const BACKEND_DIR = 'backend';

const platform = (file: string, reason: string) => ({ file, owner: FileOwner.PLATFORM, reason });
const user = (file: string, reason: string) => ({ file, owner: FileOwner.USER, reason });

/** Backend files, relative to `templates/backend` and to the client's `backend/`. */
const BACKEND_TEMPLATES = [
  platform('app/__init__.py', 'package marker'),
  platform('app/settings.py', 'reads the connection settings Terraform sets on Cloud Run'),
  platform('app/database.py', 'Cloud SQL connector with IAM login, or a plain URL locally'),
  platform('app/health.py', 'liveness and readiness routes the platform probes'),
  platform('app/logging_config.py', 'JSON logs that Cloud Logging parses'),
  platform('app/main.py', 'app factory, logging and shutdown of the connector'),
  platform('alembic.ini', 'points Alembic at the migrations folder'),
  platform('migrations/env.py', "connects like the app and grants the service's user its rows"),
  platform('migrations/script.py.mako', 'template of new migration files'),
  platform('requirements-platform.txt', 'versions the platform tests together'),
  platform('requirements-cloud.txt', 'the Cloud SQL connector, installed only in the image'),
  platform('Dockerfile', 'the image Cloud Build deploys to the service and the migration job'),
  platform('.dockerignore', 'keeps local files out of the image'),
  platform('ruff.toml', 'lint and format settings'),
  platform('pytest.ini', 'test settings'),
  user('app/models.py', 'your tables'),
  user('app/routes.py', 'your API'),
  user('migrations/versions/0001_create_items.py', 'your schema history'),
  user('requirements.txt', "your app's dependencies"),
  user('requirements-dev.txt', 'your test and lint tools'),
  user('tests/conftest.py', 'your test fixtures'),
  user('tests/test_items.py', 'your tests'),
  user('tests/test_health.py', 'your tests of the health routes'),
  user('tests/test_settings.py', 'your tests of the settings'),
  user('tests/test_connector.py', 'your tests of the Cloud Run connection path'),
];

/** Every backend file with its owner, in the order above. */
export const BACKEND_FILES: GeneratedFile[] = BACKEND_TEMPLATES.map(({ file, owner, reason }) => ({
  path: `${BACKEND_DIR}/${file}`,
  owner,
  reason,
}));

/** Adds the backend's managed files and the samples the user owns. */
export function addBackendFiles(project: Project): void {
  for (const { file, owner } of BACKEND_TEMPLATES) {
    const target = `${BACKEND_DIR}/${file}`;
    const template = `backend/${file}`;
    if (owner === FileOwner.PLATFORM) {
      new ManagedTemplateFile(project, target, { template });
    } else {
      new SampleFile(project, target, { sourcePath: path.join(TEMPLATES_DIR, template) });
    }
  }
}
