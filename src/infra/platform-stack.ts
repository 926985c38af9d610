import { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository';
import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { ServiceNetworkingConnection } from '@cdktf/provider-google/lib/service-networking-connection';
import { VpcAccessConnector } from '@cdktf/provider-google/lib/vpc-access-connector';
import { addBuildConnection } from './build-connection';
import { addOutput, synthesizeStack, useGcsBackend } from './engine';
import { GOOGLE_PROVIDER_VERSION } from './environment-stack';
import { platformStatePrefix } from '../options/names';
import type { PlatformConfig } from '../platform/platform-config';

const PLATFORM_APIS = [
  'artifactregistry.googleapis.com',
  'compute.googleapis.com',
  'servicenetworking.googleapis.com',
  'vpcaccess.googleapis.com',
];

/**
 * Synthesizes the platform's Terraform: the VPC network (created or
 * referenced), private services access on it, a /28 subnet and a Serverless
 * VPC Access connector in each region, the shared Artifact Registry and,
 * when configured, the Cloud Build connection to GitHub.
 */
export function synthesizePlatform(config: PlatformConfig): Record<string, unknown> {
  return synthesizeStack({
    name: 'platform',
    overrides: [
      ['terraform.required_providers.google.source', 'hashicorp/google'],
      ['terraform.required_providers.google.version', GOOGLE_PROVIDER_VERSION],
    ],
    build: (scope) => {
      new GoogleProvider(scope, 'google', { project: config.projectId });
      useGcsBackend(scope, config.stateBucket, platformStatePrefix(config.name, 'platform'));
      const apis = PLATFORM_APIS.map(
        (api) => new ProjectService(scope, `api_${api.split('.')[0]}`, { service: api, disableOnDestroy: false }),
      );

      const networkId = `projects/${config.projectId}/global/networks/${config.networkName}`;
      const network = config.createNetwork
        ? new ComputeNetwork(scope, 'network', { name: config.networkName, autoCreateSubnetworks: false, dependsOn: apis })
        : undefined;
      const networkRef = network?.id ?? networkId;

      const range = new ComputeGlobalAddress(scope, 'private_services_range', {
        name: `${config.networkName}-private-services`,
        purpose: 'VPC_PEERING',
        addressType: 'INTERNAL',
        prefixLength: config.privateServicesPrefixLength,
        network: networkRef,
        dependsOn: apis,
      });
      new ServiceNetworkingConnection(scope, 'private_services_connection', {
        network: networkRef,
        service: 'servicenetworking.googleapis.com',
        reservedPeeringRanges: [range.name],
      });

      const connectorIds: Record<string, string> = {};
      for (const region of config.regions) {
        const id = region.replace(/-/g, '_');
        const subnet = new ComputeSubnetwork(scope, `${id}_connector_subnet`, {
          name: `${config.connectorName}-${region}`.slice(0, 63),
          region,
          network: networkRef,
          ipCidrRange: config.connectorRanges[region],
          privateIpGoogleAccess: true,
        });
        const connector = new VpcAccessConnector(scope, `${id}_connector`, {
          name: config.connectorName,
          region,
          subnet: { name: subnet.name, projectId: config.projectId },
          machineType: config.connectorMachineType,
          minInstances: config.connectorMinInstances,
          maxInstances: config.connectorMaxInstances,
          dependsOn: apis,
        });
        addOutput(scope, `${id}_connector_id`, connector.id, `Connector in ${region}, for client repos.`);
        connectorIds[region] = connector.id;
      }
      // Client repos that name this platform read their region's entry.
      addOutput(scope, 'connector_ids', connectorIds, 'Connector of each region, by region.');

      new ArtifactRegistryRepository(scope, 'shared_repository', {
        repositoryId: config.artifactRepository,
        location: config.regions[0],
        format: 'DOCKER',
        description: 'Images shared by client repos',
        dependsOn: apis,
      });
      addOutput(scope, 'network_id', networkRef, 'VPC network client repos attach to.');

      if (config.buildConnection) addBuildConnection(scope, config.projectId, config.buildConnection);
    },
  });
}
