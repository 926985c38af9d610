import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address';
import { ServiceNetworkingConnection } from '@cdktf/provider-google/lib/service-networking-connection';
import type { ITerraformDependable } from 'cdktf';
import type { Scope } from './engine';
import type { ResolvedApp, ResolvedEnvironment } from '../options/defaults';
import { PrivateServicesAccess, VpcAccessMode } from '../options/gcp-app-project-options';

/**
 * Adds private services access to the network when the client repo owns it:
 * a reserved internal range and the peering with Google's service producer
 * network. Returns what Cloud SQL instances must wait for, because an
 * instance with a private IP fails to create before the peering exists.
 */
export function addPrivateServicesAccess(
  scope: Scope,
  app: ResolvedApp,
  environment: ResolvedEnvironment,
  dependsOn: ITerraformDependable[],
): ITerraformDependable[] {
  if (app.privateServicesAccess === PrivateServicesAccess.REFERENCE) return [];

  const range = new ComputeGlobalAddress(scope, 'private_services_range', {
    project: environment.networkProjectId,
    name: `${app.networkName}-private-services`,
    purpose: 'VPC_PEERING',
    addressType: 'INTERNAL',
    prefixLength: app.privateServicesPrefixLength,
    network: environment.networkId,
    dependsOn,
  });
  const connection = new ServiceNetworkingConnection(scope, 'private_services_connection', {
    network: environment.networkId,
    service: 'servicenetworking.googleapis.com',
    reservedPeeringRanges: [range.name],
  });
  return [connection];
}

/**
 * VPC access of Cloud Run: through the shared connector or with Direct VPC
 * egress, in both cases for private ranges only, so calls to public APIs
 * leave through Google's network as usual.
 */
export function vpcAccess(app: ResolvedApp, environment: ResolvedEnvironment) {
  const egress = 'PRIVATE_RANGES_ONLY';
  if (app.vpcAccess === VpcAccessMode.DIRECT) {
    return {
      networkInterfaces: [{ network: environment.networkId, subnetwork: environment.subnetId }],
      egress,
    };
  }
  return { connector: environment.connectorId, egress };
}
