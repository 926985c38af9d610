import type { ProjectOptions } from 'projen';
import type { EnvironmentOptions } from './environment-options';

/**
 * Options of a client repo created from `projen-gcp-app`.
 */
export interface GcpAppProjectOptions extends ProjectOptions {
  /**
   * Default region of every environment: Cloud Run, Cloud SQL, Artifact
   * Registry and the shared Serverless VPC Access connector.
   *
   * @default "europe-west1"
   */
  readonly region: string;

  /**
   * The environments to deploy to, each in its own Google Cloud project.
   *
   * @default - `staging` and `prod`, in the projects `<name>-staging` and `<name>-prod`
   */
  readonly environments?: EnvironmentOptions[];

  /**
   * Name of the Cloud Run service. It also prefixes the service's accounts
   * (`<serviceName>-run`, `<serviceName>-migrate`), the migration job and the
   * Cloud SQL instance.
   *
   * @default "api"
   */
  readonly serviceName?: string;

  /**
   * Name of the PostgreSQL database the service uses.
   *
   * @default "app"
   */
  readonly databaseName?: string;

  /**
   * Name of the platform's shared Serverless VPC Access connector in each
   * environment's region.
   *
   * @default "platform-connector"
   */
  readonly connectorName?: string;

  /**
   * Name of the platform's VPC network that has private services access,
   * where the Cloud SQL instance gets its private IP.
   *
   * @default "platform"
   */
  readonly networkName?: string;

  /**
   * Project that owns the VPC network and the connector, such as a Shared VPC
   * host project.
   *
   * @default - each environment's own project
   */
  readonly networkProjectId?: string;

  /**
   * Cloud Storage bucket that stores Terraform state, one prefix per
   * environment. The bucket must exist before `terraform init`.
   *
   * @default - `<projectId>-tfstate` of each environment
   */
  readonly stateBucket?: string;

  /**
   * Artifact Registry Docker repository for the service's images.
   *
   * @default "containers"
   */
  readonly artifactRepository?: string;

  /**
   * Extra npm development dependencies of the client repo, in the form
   * `name@version`. `projen new --from` adds the project type's own package
   * here.
   *
   * @default []
   */
  readonly devDeps?: string[];
}
