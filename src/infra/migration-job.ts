import { CloudRunV2Job } from '@cdktf/provider-google/lib/cloud-run-v2-job';
import type { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import type { ITerraformDependable } from 'cdktf';
import {
  cloudSqlVolumeMounts,
  cloudSqlVolumes,
  connectionEnv,
  type DatabaseConnection,
  DEPLOY_MANAGED_FIELDS,
  PLACEHOLDER_IMAGE,
} from './cloud-run';
import type { Scope } from './engine';
import { vpcAccess } from './network';
import type { ResolvedApp, ResolvedEnvironment } from '../options/defaults';
import { type DatabaseGroup, terraformId } from '../options/names';

export interface MigrationJobProps {
  readonly account: ServiceAccount;
  readonly connection: DatabaseConnection;
  /** Database users of the group's services, granted read and write on every table after migrating. */
  readonly appDatabaseUsers: string[];
  readonly dependsOn: ITerraformDependable[];
}

/**
 * Adds the Cloud Run job that applies Alembic migrations. It runs on the VPC
 * the same way as the services, because Cloud Build's default workers cannot
 * reach a private IP.
 */
export function addMigrationJob(
  scope: Scope,
  app: ResolvedApp,
  environment: ResolvedEnvironment,
  group: DatabaseGroup,
  props: MigrationJobProps,
): CloudRunV2Job {
  return new CloudRunV2Job(scope, `${terraformId(group.name)}_migration_job`, {
    name: group.migrationJob,
    location: environment.region,
    deletionProtection: environment.deletionProtection,
    labels: { app: app.name, environment: environment.name },
    template: {
      taskCount: 1,
      template: {
        serviceAccount: props.account.email,
        // A migration that fails halfway must not run again on its own.
        maxRetries: 0,
        timeout: '900s',
        vpcAccess: vpcAccess(app, environment),
        volumes: cloudSqlVolumes(props.connection),
        containers: [
          {
            image: PLACEHOLDER_IMAGE,
            command: ['alembic'],
            args: ['upgrade', 'head'],
            env: [
              ...connectionEnv(props.connection),
              { name: 'APP_DB_USERS', value: props.appDatabaseUsers.join(',') },
            ],
            volumeMounts: cloudSqlVolumeMounts(props.connection),
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
