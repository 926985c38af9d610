import { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository';
import type { CloudRunV2Job } from '@cdktf/provider-google/lib/cloud-run-v2-job';
import type { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service';
import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import type { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import type { ITerraformDependable } from 'cdktf';
import { addBuildPipeline } from './build-pipeline';
import type { DatabaseConnection } from './cloud-run';
import { addDatabase, type Database } from './database';
import { addOutput, readRemoteState, type Scope, synthesizeStack, useGcsBackend } from './engine';
import { addDatabaseLogin, addServiceAccount, MIGRATOR_DATABASE_ROLE } from './identity';
import { addMigrationJob } from './migration-job';
import { addPrivateServicesAccess } from './network';
import { grantSecretAccess } from './secrets';
import { addService } from './service';
import type { ResolvedApp, ResolvedEnvironment, ResolvedService } from '../options/defaults';
import {
  type DatabaseGroup,
  databaseGroups,
  IMAGE_NAME,
  PLATFORM_STATES,
  platformStatePrefix,
  runtimeAccountId,
  terraformId,
} from '../options/names';
import { DatabaseMode } from '../options/service-options';

/**
 * Version constraint of the google provider in the generated JSON. The
 * migration identity's `database_roles` needs a 7.x provider; the other
 * resources are written against the 6.50 bindings.
 */
export const GOOGLE_PROVIDER_VERSION = '>= 7.0, < 8.0';

/** APIs an environment's resources need. */
export function requiredApis(app: ResolvedApp): string[] {
  const apis = [
    'artifactregistry.googleapis.com',
    'cloudbuild.googleapis.com',
    'compute.googleapis.com',
    'iam.googleapis.com',
    'run.googleapis.com',
    'servicenetworking.googleapis.com',
    'sqladmin.googleapis.com',
    'vpcaccess.googleapis.com',
  ];
  if (app.services.some((service) => service.secrets.length > 0)) apis.push('secretmanager.googleapis.com');
  return apis.sort();
}

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
  new GoogleProvider(scope, 'google', {
    project: environment.projectId,
    region: environment.region,
    defaultLabels: { app: app.name, environment: environment.name },
  });
  useGcsBackend(scope, environment.stateBucket, `${app.name}/${environment.name}`);
  if (app.platform) {
    for (const state of PLATFORM_STATES) {
      readRemoteState(scope, state, app.platform.stateBucket, platformStatePrefix(app.platform.name, state));
    }
  }

  const apis = requiredApis(app).map(
    (api) =>
      new ProjectService(scope, `api_${api.split('.')[0]}`, {
        service: api,
        // Other workloads in the project may use the same API.
        disableOnDestroy: false,
      }),
  );
  const peering = addPrivateServicesAccess(scope, app, environment, apis);

  const repository = new ArtifactRegistryRepository(scope, 'artifact_repository', {
    repositoryId: app.artifactRepository,
    location: environment.region,
    format: 'DOCKER',
    description: `Container images of ${app.name}`,
    dependsOn: apis,
  });
  addOutput(
    scope,
    'image',
    `${environment.region}-docker.pkg.dev/${environment.projectId}/${repository.repositoryId}/${IMAGE_NAME}`,
    'Image path Cloud Build pushes to, without a tag.',
  );

  const deployed: Deployed = { services: [], servicesByName: new Map(), jobs: [], runtimeAccounts: [] };
  for (const group of databaseGroups(app)) {
    addDatabaseGroup(scope, app, environment, group, [...apis, ...peering], deployed);
  }
  for (const service of app.services.filter((candidate) => candidate.database === DatabaseMode.NONE)) {
    addRuntime(scope, app, environment, service, undefined, apis, deployed);
  }
  if (app.frontend) {
    // The frontend passes /api/ on to the first service, the repo's API.
    const api = deployed.servicesByName.get(app.services[0].name)!;
    addRuntime(scope, app, environment, app.frontend, undefined, apis, deployed, [{ name: 'API_URL', value: api.uri }]);
  }

  addBuildPipeline(scope, app, environment, {
    repository,
    apis,
    services: deployed.services,
    jobs: deployed.jobs,
    runtimeAccounts: deployed.runtimeAccounts,
  });
}

/** Services, jobs and accounts the build deploys to and acts as. */
interface Deployed {
  readonly services: CloudRunV2Service[];
  readonly servicesByName: Map<string, CloudRunV2Service>;
  readonly jobs: CloudRunV2Job[];
  readonly runtimeAccounts: ServiceAccount[];
}

/**
 * Adds a Cloud SQL instance with its migration identity and job, and the
 * services that use it, each with its own account and database user.
 */
function addDatabaseGroup(
  scope: Scope,
  app: ResolvedApp,
  environment: ResolvedEnvironment,
  group: DatabaseGroup,
  dependsOn: ITerraformDependable[],
  deployed: Deployed,
): void {
  const groupId = terraformId(group.name);
  const database = addDatabase(scope, app, environment, group, dependsOn);
  const connectionName = database.instance.connectionName;

  const migrator = addServiceAccount(
    scope,
    `${groupId}_migrator`,
    group.migratorAccountId,
    `Migrations of ${group.instanceName} (${environment.name})`,
    dependsOn,
  );
  const migratorUser = addDatabaseLogin(scope, environment, `${groupId}_migrator`, migrator, database, [
    MIGRATOR_DATABASE_ROLE,
  ]);

  const appUsers = group.services.map(
    (service) => addRuntime(scope, app, environment, service, { database, connectionName }, dependsOn, deployed)!,
  );

  deployed.jobs.push(
    addMigrationJob(scope, app, environment, group, {
      account: migrator,
      connection: { connectionName, databaseUser: migratorUser, databaseName: app.databaseName },
      appDatabaseUsers: appUsers,
      dependsOn,
    }),
  );
  deployed.runtimeAccounts.push(migrator);
  addOutput(scope, `${groupId}_instance_connection_name`, connectionName, 'Cloud SQL connection name, PROJECT:REGION:INSTANCE.');
  addOutput(scope, `${groupId}_migration_database_user`, migratorUser, `PostgreSQL user of ${group.migrationJob}.`);
}

/**
 * Adds a service with its account, database login and secret grants.
 * Returns the service's database user, or undefined without a database.
 */
function addRuntime(
  scope: Scope,
  app: ResolvedApp,
  environment: ResolvedEnvironment,
  service: ResolvedService,
  target: { database: Database; connectionName: string } | undefined,
  dependsOn: ITerraformDependable[],
  deployed: Deployed,
  env?: Array<{ name: string; value: string }>,
): string | undefined {
  const id = terraformId(service.name);
  const account = addServiceAccount(
    scope,
    `${id}_runtime`,
    runtimeAccountId(service),
    `${service.name} on Cloud Run (${environment.name})`,
    dependsOn,
  );
  const secretGrants = grantSecretAccess(scope, environment, service, account);

  let connection: DatabaseConnection | undefined;
  if (target) {
    const databaseUser = addDatabaseLogin(scope, environment, `${id}_runtime`, account, target.database);
    connection = { connectionName: target.connectionName, databaseUser, databaseName: app.databaseName };
    addOutput(scope, `${id}_database_user`, databaseUser, `PostgreSQL user of ${service.name}.`);
  }

  const runService = addService(scope, app, environment, service, {
    account,
    connection,
    env,
    dependsOn: [...dependsOn, ...secretGrants],
  });
  addOutput(scope, `${id}_url`, runService.uri, `URL of ${service.name}.`);
  deployed.services.push(runService);
  deployed.servicesByName.set(service.name, runService);
  deployed.runtimeAccounts.push(account);
  return connection?.databaseUser;
}
