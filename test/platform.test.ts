import * as fs from 'fs';
import * as path from 'path';
import { GcpPlatformProject, type GcpPlatformProjectOptions } from '../src';
import { makeTempDir, packPackage, REPO_ROOT } from './support/client-repo';
import { clientEnv, run } from './support/process';
import { synthWithoutInstall, temporaryDirectory } from './support/synth';
import { unresolvedReferences } from './support/terraform-checks';

function synthPlatform(options: Partial<GcpPlatformProjectOptions> = {}): any {
  const dir = temporaryDirectory('platform');
  synthWithoutInstall(new GcpPlatformProject({ name: 'acme-platform', projectId: 'acme-host', outdir: dir, ...options }));
  return JSON.parse(fs.readFileSync(path.join(dir, 'infra', 'platform', 'main.tf.json'), 'utf-8'));
}

const tf = synthPlatform({ regions: ['europe-west1', 'us-central1'], connectorMaxInstances: 5 });
const resource = tf.resource;

test.each([
  ['europe_west1', 'europe-west1', '10.8.0.0/28'],
  ['us_central1', 'us-central1', '10.8.0.16/28'],
])('connector in %s', (id, region, range) => {
  const subnet = resource.google_compute_subnetwork[`${id}_connector_subnet`];
  expect(subnet).toMatchObject({ region, ip_cidr_range: range, network: '${google_compute_network.network.id}' });
  expect(resource.google_vpc_access_connector[`${id}_connector`]).toMatchObject({
    name: 'platform-connector',
    region,
    machine_type: 'e2-micro',
    min_instances: 2,
    max_instances: 5,
    subnet: { name: `\${google_compute_subnetwork.${id}_connector_subnet.name}`, project_id: 'acme-host' },
  });
});

test('private services access peers the network', () => {
  expect(resource.google_compute_global_address.private_services_range).toMatchObject({
    purpose: 'VPC_PEERING',
    address_type: 'INTERNAL',
    prefix_length: 16,
    network: '${google_compute_network.network.id}',
  });
  expect(resource.google_service_networking_connection.private_services_connection).toEqual({
    network: '${google_compute_network.network.id}',
    service: 'servicenetworking.googleapis.com',
    reserved_peering_ranges: ['${google_compute_global_address.private_services_range.name}'],
  });
});

test('network is created without default subnets', () => {
  expect(resource.google_compute_network.network).toMatchObject({ name: 'platform', auto_create_subnetworks: false });
  expect(resource.google_artifact_registry_repository.shared_repository).toMatchObject({ repository_id: 'shared-images', format: 'DOCKER' });
});

test('platform references resolve', () => {
  const { references, unresolved } = unresolvedReferences(tf);
  expect(references).toBeGreaterThan(5);
  expect(unresolved).toEqual([]);
});

test('existing network is referenced', () => {
  const referenced = synthPlatform({ createNetwork: false, networkName: 'shared-vpc' }).resource;
  expect(referenced.google_compute_network).toBeUndefined();
  expect(referenced.google_vpc_access_connector.europe_west1_connector).toBeDefined();
  expect(referenced.google_compute_subnetwork.europe_west1_connector_subnet.network).toBe('projects/acme-host/global/networks/shared-vpc');
});

test.each([
  [{ connectorMinInstances: 1 }, 'connectorMinInstances: 1 is invalid'],
  [{ connectorMaxInstances: 2 }, 'connectorMaxInstances: 2 is invalid'],
  [{ connectorMaxInstances: 11 }, 'connectorMaxInstances: 11 is invalid'],
  [{ connectorName: 'a-connector-name-that-is-too-long' }, 'connectorName: "a-connector-name-that-is-too-long" is invalid'],
  [{ connectorRanges: { 'europe-west1': '10.8.0.0/24' } }, 'connectorRanges.europe-west1: "10.8.0.0/24" is invalid'],
  [{ projectId: 'Acme Host' }, 'projectId: "Acme Host" is invalid'],
  [{ regions: ['europe-west1', 'europe-west1'] }, 'regions: ["europe-west1","europe-west1"] is invalid'],
])('platform option %j is rejected', (options, message) => {
  expect(() => synthPlatform(options)).toThrow(message);
});

test('platform repo is created with projen new', () => {
  const work = makeTempDir('platform-new');
  try {
    const tarball = packPackage(work);
    const repo = path.join(work, 'platform');
    fs.mkdirSync(repo);
    run(path.join(REPO_ROOT, 'node_modules', '.bin', 'projen'), ['new', '--from', tarball, 'gcp-platform'], { cwd: repo, env: clientEnv() });
    expect(fs.readFileSync(path.join(repo, '.projenrc.ts'), 'utf-8')).toContain('import { GcpPlatformProject } from "projen-gcp-app";');
    run('npx', ['projen'], { cwd: repo, env: clientEnv() });
    const json = JSON.parse(fs.readFileSync(path.join(repo, 'infra', 'platform', 'main.tf.json'), 'utf-8'));
    expect(json.resource.google_vpc_access_connector.europe_west1_connector.name).toBe('platform-connector');
    expect(json.provider.google[0].project).toBe('platform-host');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});
