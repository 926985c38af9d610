import type { ProjectOptions } from 'projen';
import type { PlatformBuildConnectionOptions } from './build-connection-options';
import type { PlatformRegistryOptions } from './registry-options';

/**
 * Options of the platform repo: the network, connectors and registry every
 * client repo shares.
 */
export interface GcpPlatformProjectOptions extends ProjectOptions {
  /**
   * ID of the Google Cloud project that owns the shared network, such as a
   * Shared VPC host project. `projen new` writes a placeholder to edit.
   *
   * @default "platform-host"
   */
  readonly projectId: string;

  /**
   * Regions that get a Serverless VPC Access connector.
   *
   * @default ["europe-west1"]
   */
  readonly regions?: string[];

  /**
   * Create the VPC network; when false, refer to an existing one.
   *
   * @default true
   */
  readonly createNetwork?: boolean;

  /**
   * Name of the VPC network.
   *
   * @default "platform"
   */
  readonly networkName?: string;

  /**
   * Name of the connector in every region; client repos use the same name.
   *
   * @default "platform-connector"
   */
  readonly connectorName?: string;

  /**
   * The `/28` range of each region's connector subnet, keyed by region.
   *
   * @default - 10.8.0.0/28 for the first region, 10.8.0.16/28 for the second, and so on
   */
  readonly connectorRanges?: { [region: string]: string };

  /**
   * Machine type of the connector's instances.
   *
   * @default "e2-micro"
   */
  readonly connectorMachineType?: string;

  /**
   * Minimum number of connector instances, at least 2.
   *
   * @default 2
   */
  readonly connectorMinInstances?: number;

  /**
   * Maximum number of connector instances, more than the minimum and at most 10.
   *
   * @default 3
   */
  readonly connectorMaxInstances?: number;

  /**
   * Prefix length of the range reserved for private services access.
   *
   * @default 16
   */
  readonly privateServicesPrefixLength?: number;

  /**
   * Shared Artifact Registry Docker repository.
   *
   * @default "shared-images"
   */
  readonly artifactRepository?: string;

  /**
   * Cloud Storage bucket that stores the platform's Terraform state.
   *
   * @default - `<projectId>-tfstate`
   */
  readonly stateBucket?: string;

  /**
   * Cloud Build 2nd-gen connection to github.com in the platform project,
   * with the repositories it links.
   *
   * @default - no connection
   */
  readonly buildConnection?: PlatformBuildConnectionOptions;

  /**
   * The project registry's service, database and access.
   *
   * @default - a registry with no clients or readers yet
   */
  readonly registry?: PlatformRegistryOptions;

  /**
   * Extra npm development dependencies, in the form `name@version`.
   *
   * @default []
   */
  readonly devDeps?: string[];
}
