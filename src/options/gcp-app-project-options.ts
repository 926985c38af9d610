import type { ProjectOptions } from 'projen';
import type { EnvironmentOptions } from './environment-options';
import type { PlatformReference } from './platform-reference';
import type { PolicyException } from './policy-exception';
import type { FrontendOptions, ServiceOptions } from './service-options';

/** Route from Cloud Run into the VPC network. */
export enum VpcAccessMode {
  /** Through the platform's shared Serverless VPC Access connector. */
  CONNECTOR = 'connector',
  /** Direct VPC egress: instances get addresses in a subnet of the network. */
  DIRECT = 'direct',
}

/** Owner of private services access on the VPC network. */
export enum PrivateServicesAccess {
  /** The platform has set it up; the client repo only refers to the network. */
  REFERENCE = 'reference',
  /** The client repo reserves an address range and peers with Google's services. */
  CREATE = 'create',
}

/**
 * Options of a client repo created from `projen-gcp-app`.
 */
export interface GcpAppProjectOptions extends ProjectOptions {
  /**
   * Default region of every environment: Cloud Run, Cloud SQL, Artifact
   * Registry and the shared Serverless VPC Access connector. Required;
   * `projen new` writes "europe-west1" as a placeholder to edit.
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
   * The Cloud Run services of the repo.
   *
   * @default - one service, `api`, on the shared database
   */
  readonly services?: ServiceOptions[];

  /**
   * Adds a web frontend that calls the first service's API.
   *
   * @default - no frontend
   */
  readonly frontend?: FrontendOptions;

  /**
   * Name of the PostgreSQL database in each Cloud SQL instance.
   *
   * @default "app"
   */
  readonly databaseName?: string;

  /**
   * Cloud SQL database version.
   *
   * @default "POSTGRES_15"
   */
  readonly databaseVersion?: string;

  /**
   * Route from Cloud Run into the VPC network.
   *
   * @default VpcAccessMode.CONNECTOR
   */
  readonly vpcAccess?: VpcAccessMode;

  /**
   * Name of the platform's shared Serverless VPC Access connector in each
   * environment's region. Used with `VpcAccessMode.CONNECTOR`.
   *
   * @default "platform-connector"
   */
  readonly connectorName?: string;

  /**
   * Subnet that Cloud Run instances take addresses from. Used with
   * `VpcAccessMode.DIRECT`.
   *
   * @default "serverless"
   */
  readonly subnetName?: string;

  /**
   * Name of the platform's VPC network, where the Cloud SQL instances get
   * their private IP.
   *
   * @default "platform"
   */
  readonly networkName?: string;

  /**
   * The platform repo whose Terraform state supplies the network, each
   * region's connector and the registry's URL. With it, every deploy
   * registers itself in the registry, and `networkProjectId`,
   * `networkName`, `connectorName` and `subnetName` must be left out.
   *
   * @default - the network and connector come from the options below, and deploys are not registered
   */
  readonly platform?: PlatformReference;

  /**
   * Project that owns the VPC network, its subnets and the connector, such as
   * a Shared VPC host project.
   *
   * @default - each environment's own project
   */
  readonly networkProjectId?: string;

  /**
   * Owner of private services access on the network, which is needed once
   * per network. The platform usually sets it up.
   *
   * @default PrivateServicesAccess.REFERENCE
   */
  readonly privateServicesAccess?: PrivateServicesAccess;

  /**
   * Prefix length of the address range reserved for private services access,
   * with `PrivateServicesAccess.CREATE`.
   *
   * @default 16
   */
  readonly privateServicesPrefixLength?: number;

  /**
   * Cloud Storage bucket that stores Terraform state, one prefix per
   * environment. The bucket must exist before `terraform init`.
   *
   * @default - `<projectId>-tfstate` of each environment
   */
  readonly stateBucket?: string;

  /**
   * Artifact Registry Docker repository for the images.
   *
   * @default "containers"
   */
  readonly artifactRepository?: string;

  /**
   * Cloud Build 2nd-gen repository connection, in each environment's
   * project and region, that links the Git host.
   *
   * @default "github"
   */
  readonly buildConnection?: string;

  /**
   * Repository of this client repo in that connection.
   *
   * @default - the project's `name`
   */
  readonly buildRepository?: string;

  /**
   * Deliberate exceptions to the security policy that synth enforces on the
   * Terraform, each with its reason. docs/security.md lists the rules.
   *
   * @default []
   */
  readonly policyExceptions?: PolicyException[];

  /**
   * Type-check `.projenrc.ts` every time `npx projen` runs. Turning it off
   * makes each synth faster (docs/benchmarks.md has the numbers). Type
   * errors in `.projenrc.ts` are then caught by the `typecheck` task, which
   * `npx projen test` runs. A change takes effect from the synth after the
   * one that makes it, because the previous synth wrote the task that runs
   * `.projenrc.ts`.
   *
   * @default true
   */
  readonly projenrcTypeCheck?: boolean;

  /**
   * Extra npm development dependencies of the client repo, in the form
   * `name@version`. `projen new --from` adds the project type's own package
   * here.
   *
   * @default []
   */
  readonly devDeps?: string[];
}
