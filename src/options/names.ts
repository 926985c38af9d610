import type { ResolvedApp, ResolvedEnvironment, ResolvedService } from './defaults';
import { DatabaseMode } from './service-options';

/**
 * Names derived from the options. Terraform, `cloudbuild.yaml`, the docs and
 * validation all read them from here so they cannot drift apart.
 */

/**
 * A Cloud SQL instance with its database, migration identity and migration
 * job, and the services that use it. Services on the shared database form one
 * group named after the first of them; each dedicated service forms its own.
 */
export interface DatabaseGroup {
  /** Name the group's resources derive from, such as `api`. */
  readonly name: string;
  readonly instanceName: string;
  readonly migratorAccountId: string;
  readonly migrationJob: string;
  readonly services: ResolvedService[];
}

/** Account ID of the identity a service runs as. */
export function runtimeAccountId(service: ResolvedService): string {
  return `${service.name}-run`;
}

/** Groups the services by the Cloud SQL instance they use. */
export function databaseGroups(app: ResolvedApp): DatabaseGroup[] {
  const shared = app.services.filter((service) => service.database === DatabaseMode.SHARED);
  const dedicated = app.services.filter((service) => service.database === DatabaseMode.DEDICATED);
  const groups = [...(shared.length > 0 ? [shared] : []), ...dedicated.map((service) => [service])];

  return groups.map((services) => {
    const name = services[0].name;
    return {
      name,
      instanceName: `${name}-db`,
      migratorAccountId: `${name}-migrate`,
      migrationJob: `${name}-migrate`,
      services,
    };
  });
}

/** Account ID of the identity Cloud Build runs as. */
export const BUILD_ACCOUNT_ID = 'cloud-build-deploy';

/** Email of the environment's build account, the identity that registers its deploys. */
export function buildAccountEmail(environment: ResolvedEnvironment): string {
  return `${BUILD_ACCOUNT_ID}@${environment.projectId}.iam.gserviceaccount.com`;
}

/** Turns a resource name into a Terraform identifier: `order-api` to `order_api`. */
export function terraformId(name: string): string {
  return name.replace(/-/g, '_');
}

/**
 * Returns the PostgreSQL user name Cloud SQL gives a service account: its
 * email without the `.gserviceaccount.com` suffix.
 */
export function iamDatabaseUser(accountId: string, projectId: string): string {
  return `${accountId}@${projectId}.iam`;
}

/** Docker image path in the environment's Artifact Registry, without a tag. */
export function imagePath(app: ResolvedApp, environment: ResolvedEnvironment): string {
  return `${environment.region}-docker.pkg.dev/${environment.projectId}/${app.artifactRepository}/${IMAGE_NAME}`;
}

/** Name of the image built from `backend/`, which every service runs. */
export const IMAGE_NAME = 'backend';

/**
 * The platform repo's Terraform root modules whose state client repos read:
 * the shared network and connectors, and the registry.
 */
export const PLATFORM_STATES = ['platform', 'registry'] as const;
export type PlatformState = (typeof PLATFORM_STATES)[number];

/** Prefix of a platform root module's state in the state bucket. */
export function platformStatePrefix(platformName: string, state: PlatformState): string {
  return `${platformName}/${state}`;
}

/**
 * Returns a Terraform expression that reads an output of a platform root
 * module, through the `terraform_remote_state` data source of the same name
 * that each client environment declares. With a key, it reads one entry of a
 * map output.
 */
export function platformOutput(state: PlatformState, output: string, key?: string): string {
  const entry = key === undefined ? '' : `[${JSON.stringify(key)}]`;
  return `\${data.terraform_remote_state.${state}.outputs.${output}${entry}}`;
}

/** Substitution that carries the registry's URL into client deploy builds. */
export const REGISTRY_URL_SUBSTITUTION = '_REGISTRY_URL';

/** Substitution that names the environment a client deploy build deploys. */
export const ENVIRONMENT_SUBSTITUTION = '_ENVIRONMENT';
