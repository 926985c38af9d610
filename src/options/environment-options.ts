/** Cloud SQL edition, which decides the machine tiers available. */
export enum DatabaseEdition {
  /** Shared-core and custom machine tiers (`db-custom-<vCPUs>-<MiB>`). */
  ENTERPRISE = 'ENTERPRISE',
  /** Performance-optimized tiers (`db-perf-optimized-N-<vCPUs>`) with a data cache. */
  ENTERPRISE_PLUS = 'ENTERPRISE_PLUS',
}

/**
 * One deployment environment of a client repo, such as `staging` or `prod`.
 *
 * Each environment gets its own Terraform root module under
 * `infra/<name>/main.tf.json`. Values left out here fall back to the
 * environment's built-in defaults (production-sized for `prod`) and then to
 * the project-wide options.
 */
export interface EnvironmentOptions {
  /**
   * Environment name, used in directory names, resource labels and the
   * Terraform state prefix. Lowercase letters, digits and hyphens.
   */
  readonly name: string;

  /**
   * ID of the Google Cloud project the environment deploys into. Each
   * environment needs a project of its own, because the resource names are
   * the same in every environment.
   */
  readonly projectId: string;

  /**
   * Size and protect the environment for production: a bigger database tier
   * and disk, a standby in a second zone, deletion protection, one warm
   * instance and deploys from release tags.
   *
   * @default true for an environment named `prod` or `production`, otherwise false
   */
  readonly production?: boolean;

  /**
   * Region of the environment's Cloud Run services, Cloud SQL instances and
   * Artifact Registry repository.
   *
   * @default - the project's `region`
   */
  readonly region?: string;

  /**
   * Cloud SQL edition.
   *
   * @default DatabaseEdition.ENTERPRISE
   */
  readonly databaseEdition?: DatabaseEdition;

  /**
   * Cloud SQL machine tier, which must belong to the edition.
   *
   * @default "db-custom-2-8192" for a production environment, otherwise "db-custom-1-3840"; "db-perf-optimized-N-2" with Enterprise Plus
   */
  readonly databaseTier?: string;

  /**
   * Size of each Cloud SQL instance's disk in GB. The disk grows on its own
   * when it fills up.
   *
   * @default 20 for a production environment, otherwise 10
   */
  readonly databaseDiskSizeGb?: number;

  /**
   * Run Cloud SQL with a standby in a second zone (`REGIONAL` availability).
   *
   * @default true for a production environment, otherwise false
   */
  readonly highAvailability?: boolean;

  /**
   * Protect the Cloud SQL instances, Cloud Run services and migration jobs
   * from deletion, both in the Google Cloud API and in Terraform.
   *
   * @default true for a production environment, otherwise false
   */
  readonly deletionProtection?: boolean;

  /**
   * Day of the week Cloud SQL may restart instances for maintenance, from 1
   * (Monday) to 7 (Sunday).
   *
   * @default 7
   */
  readonly maintenanceDay?: number;

  /**
   * Hour (UTC, 0 to 23) at which the maintenance window starts.
   *
   * @default 3
   */
  readonly maintenanceHour?: number;

  /**
   * Minimum number of instances of each Cloud Run service kept warm.
   *
   * @default 1 for a production environment, otherwise 0
   */
  readonly minInstances?: number;

  /**
   * Maximum number of instances of each Cloud Run service.
   *
   * @default 10
   */
  readonly maxInstances?: number;

  /**
   * Regular expression of the Git branches whose pushes deploy to this
   * environment. Set this or `deployTag`.
   *
   * @default "^main$" unless the environment is a production one
   */
  readonly deployBranch?: string;

  /**
   * Regular expression of the Git tags whose pushes deploy to this
   * environment. Set this or `deployBranch`.
   *
   * @default "^v[0-9]+\\.[0-9]+\\.[0-9]+$" for a production environment
   */
  readonly deployTag?: string;
}
