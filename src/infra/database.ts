import { SqlDatabase } from '@cdktf/provider-google/lib/sql-database';
import { SqlDatabaseInstance } from '@cdktf/provider-google/lib/sql-database-instance';
import type { ITerraformDependable } from 'cdktf';
import type { Scope } from './engine';
import type { ResolvedApp, ResolvedEnvironment } from '../options/defaults';
import { type DatabaseGroup, terraformId } from '../options/names';

export interface Database {
  readonly instance: SqlDatabaseInstance;
  readonly database: SqlDatabase;
}

/**
 * Adds a Cloud SQL for PostgreSQL instance reachable only on the platform's
 * VPC network, with IAM database authentication and point-in-time recovery,
 * and its database.
 */
export function addDatabase(
  scope: Scope,
  app: ResolvedApp,
  environment: ResolvedEnvironment,
  group: DatabaseGroup,
  dependsOn: ITerraformDependable[],
): Database {
  const id = terraformId(group.name);
  const protect = environment.deletionProtection;
  const instance = new SqlDatabaseInstance(scope, `${id}_instance`, {
    name: group.instanceName,
    region: environment.region,
    databaseVersion: app.databaseVersion,
    // Terraform refuses to destroy the instance while this is true.
    deletionProtection: protect,
    settings: {
      tier: environment.databaseTier,
      edition: environment.databaseEdition,
      availabilityType: environment.highAvailability ? 'REGIONAL' : 'ZONAL',
      // Cloud SQL refuses to delete the instance, even from the console.
      deletionProtectionEnabled: protect,
      diskType: 'PD_SSD',
      diskSize: environment.databaseDiskSizeGb,
      diskAutoresize: true,
      ipConfiguration: {
        ipv4Enabled: false,
        privateNetwork: environment.networkId,
        sslMode: 'ENCRYPTED_ONLY',
      },
      databaseFlags: [{ name: 'cloudsql.iam_authentication', value: 'on' }],
      backupConfiguration: {
        enabled: true,
        pointInTimeRecoveryEnabled: true,
        startTime: '02:00',
        transactionLogRetentionDays: 7,
        backupRetentionSettings: { retainedBackups: protect ? 30 : 7 },
      },
      maintenanceWindow: {
        day: environment.maintenanceDay,
        hour: environment.maintenanceHour,
        updateTrack: 'stable',
      },
      insightsConfig: { queryInsightsEnabled: true },
      userLabels: { app: app.name, environment: environment.name },
    },
    dependsOn,
  });

  const database = new SqlDatabase(scope, `${id}_database`, {
    name: app.databaseName,
    instance: instance.name,
  });

  return { instance, database };
}
