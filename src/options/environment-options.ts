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
   * ID of the Google Cloud project the environment deploys into.
   */
  readonly projectId: string;

  /**
   * Region of the environment's Cloud Run service, Cloud SQL instance and
   * Artifact Registry repository.
   *
   * @default - the project's `region`
   */
  readonly region?: string;

  /**
   * Cloud SQL machine tier.
   *
   * @default "db-custom-2-8192" for an environment named `prod`, otherwise "db-custom-1-3840"
   */
  readonly databaseTier?: string;

  /**
   * Run Cloud SQL with a standby in a second zone (`REGIONAL` availability).
   *
   * @default true for an environment named `prod`, otherwise false
   */
  readonly highAvailability?: boolean;

  /**
   * Protect the Cloud SQL instance and the Cloud Run service from deletion,
   * both in the Google Cloud API and in Terraform.
   *
   * @default true for an environment named `prod`, otherwise false
   */
  readonly deletionProtection?: boolean;

  /**
   * Minimum number of Cloud Run instances kept warm.
   *
   * @default 1 for an environment named `prod`, otherwise 0
   */
  readonly minInstances?: number;

  /**
   * Maximum number of Cloud Run instances.
   *
   * @default 10
   */
  readonly maxInstances?: number;
}
