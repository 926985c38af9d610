/**
 * Pieces shared by the Cloud Run services and the migration jobs: they run
 * the same image with the same network path to the database.
 */

/**
 * Image Terraform deploys before Cloud Build has pushed the repo's own.
 * Cloud Build replaces it on every deploy, and Terraform ignores the image
 * afterwards.
 */
export const PLACEHOLDER_IMAGE = 'us-docker.pkg.dev/cloudrun/container/hello';

/** Name of the volume that attaches the Cloud SQL instance. */
const CLOUD_SQL_VOLUME = 'cloudsql';

/** Fields `gcloud` changes on every deploy and Terraform must leave alone. */
export const DEPLOY_MANAGED_FIELDS = ['client', 'client_version'];

export interface DatabaseConnection {
  readonly connectionName: string;
  readonly databaseUser: string;
  readonly databaseName: string;
}

/** Returns the environment variables the backend's settings read. */
export function connectionEnv(connection: DatabaseConnection | undefined) {
  if (!connection) return [{ name: 'DATABASE_ENABLED', value: 'false' }];
  return [
    { name: 'INSTANCE_CONNECTION_NAME', value: connection.connectionName },
    { name: 'DB_USER', value: connection.databaseUser },
    { name: 'DB_NAME', value: connection.databaseName },
  ];
}

/** Returns the Cloud SQL attachment, the v2 form of `--add-cloudsql-instances`. */
export function cloudSqlVolumes(connection: DatabaseConnection | undefined) {
  if (!connection) return [];
  return [{ name: CLOUD_SQL_VOLUME, cloudSqlInstance: { instances: [connection.connectionName] } }];
}

export function cloudSqlVolumeMounts(connection: DatabaseConnection | undefined) {
  if (!connection) return [];
  return [{ name: CLOUD_SQL_VOLUME, mountPath: '/cloudsql' }];
}
