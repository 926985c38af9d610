/**
 * Pieces shared by the Cloud Run service and the migration job: both run the
 * same image with the same network path to the database.
 */

/**
 * Image Terraform deploys before Cloud Build has pushed the service's own.
 * Cloud Build replaces it on every deploy, and Terraform ignores the image
 * afterwards.
 */
export const PLACEHOLDER_IMAGE = 'us-docker.pkg.dev/cloudrun/container/hello';

/** Name of the volume that attaches the Cloud SQL instance. */
export const CLOUD_SQL_VOLUME = 'cloudsql';

/** Fields Cloud Build changes on every deploy and Terraform must leave alone. */
export const DEPLOY_MANAGED_FIELDS = ['client', 'client_version'];

export interface DatabaseConnection {
  readonly connectionName: string;
  readonly databaseUser: string;
  readonly databaseName: string;
}

/** The environment variables the backend's database module reads. */
export function connectionEnv(connection: DatabaseConnection) {
  return [
    { name: 'INSTANCE_CONNECTION_NAME', value: connection.connectionName },
    { name: 'DB_USER', value: connection.databaseUser },
    { name: 'DB_NAME', value: connection.databaseName },
  ];
}

/** VPC access through the shared connector, for private ranges only. */
export function connectorAccess(connectorId: string) {
  return { connector: connectorId, egress: 'PRIVATE_RANGES_ONLY' };
}

/** The Cloud SQL attachment, the v2 form of `--add-cloudsql-instances`. */
export function cloudSqlVolume(connectionName: string) {
  return [{ name: CLOUD_SQL_VOLUME, cloudSqlInstance: { instances: [connectionName] } }];
}

export const CLOUD_SQL_VOLUME_MOUNTS = [{ name: CLOUD_SQL_VOLUME, mountPath: '/cloudsql' }];
