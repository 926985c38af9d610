import { CloudRunV2Job } from '@cdktf/provider-google/lib/cloud-run-v2-job';
import type { ITerraformDependable } from 'cdktf';
import {
  CLOUD_SQL_VOLUME_MOUNTS,
  cloudSqlVolume,
  connectionEnv,
  connectorAccess,
  type DatabaseConnection,
  DEPLOY_MANAGED_FIELDS,
  PLACEHOLDER_IMAGE,
} from './cloud-run';
import type { Scope } from './engine';
import type { ResolvedApp, ResolvedEnvironment } from '../options/defaults';
import { serviceNames } from '../options/names';

export interface MigrationJobProps {
  readonly serviceAccountEmail: string;
  readonly connection: DatabaseConnection;
  /** Database user of the service, granted read and write on every table after migrating. */
  readonly appDatabaseUser: string;
  readonly dependsOn: ITerraformDependable[];
}

/**
 * Adds the Cloud Run job that applies Alembic migrations. It runs on the VPC
 * through the same connector as the service, because Cloud Build's default
 * workers cannot reach a private IP.
 */
export function addMigrationJob(
  scope: Scope,
  app: ResolvedApp,
  environment: ResolvedEnvironment,
  props: MigrationJobProps,
): CloudRunV2Job {
  return new CloudRunV2Job(scope, 'migration_job', {
    name: serviceNames(app).migrationJob,
    location: environment.region,
    deletionProtection: environment.deletionProtection,
    labels: { app: app.serviceName, environment: environment.name },
    template: {
      taskCount: 1,
      template: {
        serviceAccount: props.serviceAccountEmail,
        // A migration that fails halfway must not run again on its own.
        maxRetries: 0,
        timeout: '900s',
        vpcAccess: connectorAccess(environment.connectorId),
        volumes: cloudSqlVolume(props.connection.connectionName),
        containers: [
          {
            image: PLACEHOLDER_IMAGE,
            command: ['alembic'],
            args: ['upgrade', 'head'],
            env: [...connectionEnv(props.connection), { name: 'APP_DB_USER', value: props.appDatabaseUser }],
            volumeMounts: CLOUD_SQL_VOLUME_MOUNTS,
            resources: { limits: { cpu: '1', memory: '512Mi' } },
          },
        ],
      },
    },
    lifecycle: {
      ignoreChanges: [...DEPLOY_MANAGED_FIELDS, 'template[0].template[0].containers[0].image'],
    },
    dependsOn: props.dependsOn,
  });
}
