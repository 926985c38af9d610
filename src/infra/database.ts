import { SqlDatabase } from '@cdktf/provider-google/lib/sql-database';
import { SqlDatabaseInstance } from '@cdktf/provider-google/lib/sql-database-instance';
import type { ITerraformDependable } from 'cdktf';
import type { Scope } from './engine';
import type { ResolvedApp, ResolvedEnvironment } from '../options/defaults';
import { serviceNames } from '../options/names';

export interface Database {
  readonly instance: SqlDatabaseInstance;
  readonly database: SqlDatabase;
}

/**
 * Adds a Cloud SQL for PostgreSQL 15 instance reachable only on the
 * platform's VPC network, with IAM database authentication and
 * point-in-time recovery, and the service's database.
 */
export function addDatabase(
  scope: Scope,
  app: ResolvedApp,
  environment: ResolvedEnvironment,
  dependsOn: ITerraformDependable[],
): Database {
  const production = environment.deletionProtection;
  const instance = new SqlDatabaseInstance(scope, 'sql_instance', {
    name: serviceNames(app).instanceName,
    region: environment.region,
    databaseVersion: 'POSTGRES_15',
    // Terraform refuses to destroy the instance while this is true.
    deletionProtection: production,
    settings: {
      tier: environment.databaseTier,
      edition: 'ENTERPRISE',
      availabilityType: environment.highAvailability ? 'REGIONAL' : 'ZONAL',
      // Cloud SQL refuses to delete the instance, even from the console.
      deletionProtectionEnabled: production,
      diskType: 'PD_SSD',
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
        backupRetentionSettings: { retainedBackups: production ? 30 : 7 },
      },
      maintenanceWindow: { day: 7, hour: 3, updateTrack: 'stable' },
      insightsConfig: { queryInsightsEnabled: true },
      userLabels: { app: app.serviceName, environment: environment.name },
    },
    dependsOn,
  });

  const database = new SqlDatabase(scope, 'database', {
    name: app.databaseName,
    instance: instance.name,
  });

  return { instance, database };
}
