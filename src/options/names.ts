import type { ResolvedApp, ResolvedEnvironment } from './defaults';

/**
 * Names derived from the options. Terraform, `cloudbuild.yaml`, the docs and
 * validation all read them from here so they cannot drift apart.
 */
export interface ServiceNames {
  /** Account ID of the identity the Cloud Run service runs as. */
  readonly runtimeAccountId: string;
  /** Account ID of the identity the migration job runs as. */
  readonly migratorAccountId: string;
  /** Cloud Run job that applies Alembic migrations. */
  readonly migrationJob: string;
  /** Cloud SQL instance. */
  readonly instanceName: string;
}

export function serviceNames(app: ResolvedApp): ServiceNames {
  return {
    runtimeAccountId: `${app.serviceName}-run`,
    migratorAccountId: `${app.serviceName}-migrate`,
    migrationJob: `${app.serviceName}-migrate`,
    instanceName: `${app.serviceName}-db`,
  };
}

/**
 * The PostgreSQL user name Cloud SQL gives a service account: its email
 * without the `.gserviceaccount.com` suffix.
 */
export function iamDatabaseUser(accountId: string, projectId: string): string {
  return `${accountId}@${projectId}.iam`;
}

/** Docker image path of the service in the environment's Artifact Registry. */
export function imageRepository(app: ResolvedApp, environment: ResolvedEnvironment): string {
  return `${environment.region}-docker.pkg.dev/${environment.projectId}/${app.artifactRepository}/${app.serviceName}`;
}
