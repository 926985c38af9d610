import { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository';
import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { addDatabase } from './database';
import { addOutput, type Scope, synthesizeStack, useGcsBackend } from './engine';
import { addDatabaseIdentity, MIGRATOR_DATABASE_ROLE } from './identity';
import { addMigrationJob } from './migration-job';
import { addService } from './service';
import type { ResolvedApp, ResolvedEnvironment } from '../options/defaults';
import { serviceNames } from '../options/names';

/**
 * Version constraint of the google provider in the generated JSON. The
 * migration identity's `database_roles` needs a 7.x provider; the other
 * resources are written against the 6.50 bindings and unchanged in 7.x.
 */
export const GOOGLE_PROVIDER_VERSION = '>= 7.0, < 8.0';

/** APIs an environment's resources need. */
export const REQUIRED_APIS = [
  'artifactregistry.googleapis.com',
  'cloudbuild.googleapis.com',
  'compute.googleapis.com',
  'iam.googleapis.com',
  'run.googleapis.com',
  'servicenetworking.googleapis.com',
  'sqladmin.googleapis.com',
  'vpcaccess.googleapis.com',
];

/** Synthesizes the Terraform JSON of one environment. */
export function synthesizeEnvironment(
  app: ResolvedApp,
  environment: ResolvedEnvironment,
  overrides: ReadonlyArray<readonly [string, unknown]> = [],
): Record<string, unknown> {
  return synthesizeStack({
    name: environment.name,
    build: (scope) => buildEnvironment(scope, app, environment),
    overrides: [
      // cdktf writes the short source "google"; the full address reads plainly.
      ['terraform.required_providers.google.source', 'hashicorp/google'],
      ['terraform.required_providers.google.version', GOOGLE_PROVIDER_VERSION],
      ...overrides,
    ],
  });
}

function buildEnvironment(scope: Scope, app: ResolvedApp, environment: ResolvedEnvironment): void {
  const names = serviceNames(app);

  new GoogleProvider(scope, 'google', {
    project: environment.projectId,
    region: environment.region,
    defaultLabels: { app: app.serviceName, environment: environment.name },
  });
  useGcsBackend(scope, environment.stateBucket, `${app.name}/${environment.name}`);

  const apis = REQUIRED_APIS.map(
    (api) =>
      new ProjectService(scope, `api_${api.split('.')[0]}`, {
        service: api,
        // Other workloads in the project may use the same API.
        disableOnDestroy: false,
      }),
  );

  const repository = new ArtifactRegistryRepository(scope, 'artifact_repository', {
    repositoryId: app.artifactRepository,
    location: environment.region,
    format: 'DOCKER',
    description: `Container images of ${app.name}`,
    dependsOn: apis,
  });

  const database = addDatabase(scope, app, environment, apis);

  const runtime = addDatabaseIdentity(scope, environment, database, {
    id: 'runtime',
    accountId: names.runtimeAccountId,
    displayName: `${app.serviceName} on Cloud Run (${environment.name})`,
  });
  const migrator = addDatabaseIdentity(scope, environment, database, {
    id: 'migrator',
    accountId: names.migratorAccountId,
    displayName: `${app.serviceName} migrations (${environment.name})`,
    databaseRoles: [MIGRATOR_DATABASE_ROLE],
  });

  const connectionName = database.instance.connectionName;
  const service = addService(scope, app, environment, {
    serviceAccountEmail: runtime.account.email,
    connection: { connectionName, databaseUser: runtime.databaseUser, databaseName: app.databaseName },
    dependsOn: apis,
  });
  const job = addMigrationJob(scope, app, environment, {
    serviceAccountEmail: migrator.account.email,
    connection: { connectionName, databaseUser: migrator.databaseUser, databaseName: app.databaseName },
    appDatabaseUser: runtime.databaseUser,
    dependsOn: apis,
  });

  addOutput(scope, 'instance_connection_name', connectionName, 'Cloud SQL connection name, PROJECT:REGION:INSTANCE.');
  addOutput(scope, 'database_user', runtime.databaseUser, 'PostgreSQL user of the Cloud Run service.');
  addOutput(scope, 'migration_database_user', migrator.databaseUser, 'PostgreSQL user of the migration job.');
  addOutput(scope, 'service_url', service.uri, 'URL of the Cloud Run service.');
  addOutput(scope, 'migration_job_name', job.name, 'Cloud Run job that applies migrations.');
  addOutput(scope, 'image_repository', `${environment.region}-docker.pkg.dev/${environment.projectId}/${repository.repositoryId}`, 'Artifact Registry path images are pushed to.');
}
