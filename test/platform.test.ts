import * as fs from 'fs';
import * as path from 'path';
import { GcpPlatformProject, type GcpPlatformProjectOptions } from '../src';
import { makeTempDir, packPackage, REPO_ROOT } from './support/client-repo';
import { clientEnv, run } from './support/process';
import { synthWithoutInstall, temporaryDirectory } from './support/synth';
import { terraformBinary, terraformProviders, unresolvedReferences } from './support/terraform-checks';

function synthPlatform(options: Partial<GcpPlatformProjectOptions> = {}): any {
  const dir = temporaryDirectory('platform');
  // The registry has tests of its own; here it would ask every connection to link the platform repo.
  synthWithoutInstall(new GcpPlatformProject({ name: 'acme-platform', projectId: 'acme-host', outdir: dir, registry: { enabled: false }, ...options }));
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

describe('build connection', () => {
  const buildConnection = {
    githubAppInstallationId: 41234567,
    oauthTokenSecretVersion: 'projects/acme-secrets/secrets/github-token/versions/3',
    repositories: [
      { name: 'shop', remoteUri: 'https://github.com/acme/shop.git' },
      { name: 'billing.api', remoteUri: 'https://github.com/acme/billing.api.git' },
    ],
  };
  const connected = synthPlatform({ regions: ['us-central1', 'europe-west1'], buildConnection });

  test('connection uses the GitHub app and token', () => {
    expect(connected.resource.google_cloudbuildv2_connection.build_connection).toEqual({
      name: 'github',
      location: 'us-central1',
      github_config: {
        app_installation_id: 41234567,
        authorizer_credential: { oauth_token_secret_version: 'projects/acme-secrets/secrets/github-token/versions/3' },
      },
      depends_on: ['google_secret_manager_secret_iam_member.build_connection_reads_token'],
    });
  });

  test('repositories are linked', () => {
    const repositories = connected.resource.google_cloudbuildv2_repository;
    expect(Object.keys(repositories)).toEqual(['repository_shop', 'repository_billing_api']);
    expect(repositories.repository_shop).toEqual({
      name: 'shop',
      location: 'us-central1',
      parent_connection: '${google_cloudbuildv2_connection.build_connection.name}',
      remote_uri: 'https://github.com/acme/shop.git',
    });
    expect(repositories.repository_billing_api.name).toBe('billing.api');
    expect(repositories.repository_billing_api.remote_uri).toBe('https://github.com/acme/billing.api.git');
  });

  test('service agent reads only the token secret', () => {
    expect(connected.resource.google_secret_manager_secret_iam_member).toEqual({
      build_connection_reads_token: {
        secret_id: 'projects/acme-secrets/secrets/github-token',
        role: 'roles/secretmanager.secretAccessor',
        member: 'serviceAccount:service-${data.google_project.platform.number}@gcp-sa-cloudbuild.iam.gserviceaccount.com',
        depends_on: ['google_project_service.api_cloudbuild', 'google_project_service.api_secretmanager'],
      },
    });
    expect(connected.data.google_project.platform).toEqual({ project_id: 'acme-host' });
    expect(connected.resource.google_project_iam_member).toBeUndefined();
  });

  test('build APIs are enabled', () => {
    expect(connected.resource.google_project_service.api_cloudbuild.service).toBe('cloudbuild.googleapis.com');
    expect(connected.resource.google_project_service.api_secretmanager.service).toBe('secretmanager.googleapis.com');
  });

  test('outputs name the connection and repositories', () => {
    expect(connected.output.build_connection_id.value).toBe('${google_cloudbuildv2_connection.build_connection.id}');
    expect(connected.output.build_repository_ids.value).toEqual({
      'shop': '${google_cloudbuildv2_repository.repository_shop.id}',
      'billing.api': '${google_cloudbuildv2_repository.repository_billing_api.id}',
    });
  });

  test('name, region and repositories default', () => {
    const minimal = synthPlatform({
      buildConnection: { githubAppInstallationId: 7, oauthTokenSecretVersion: 'projects/123456/secrets/token/versions/latest' },
    });
    expect(minimal.resource.google_cloudbuildv2_connection.build_connection.name).toBe('github');
    expect(minimal.resource.google_cloudbuildv2_connection.build_connection.location).toBe('europe-west1');
    expect(minimal.resource.google_cloudbuildv2_repository).toBeUndefined();
    expect(minimal.output.build_repository_ids.value).toEqual({});
  });

  test('references resolve', () => {
    const { unresolved } = unresolvedReferences(connected);
    expect(unresolved).toEqual([]);
  });

  test('nothing is added without the option', () => {
    expect(resource.google_cloudbuildv2_connection).toBeUndefined();
    expect(resource.google_cloudbuildv2_repository).toBeUndefined();
    expect(resource.google_secret_manager_secret_iam_member).toBeUndefined();
    expect(resource.google_project_service.api_cloudbuild).toBeUndefined();
    expect(resource.google_project_service.api_secretmanager).toBeUndefined();
    expect(tf.data).toBeUndefined();
    expect(tf.output.build_connection_id).toBeUndefined();
  });

  test('invalid values are listed in one error', () => {
    let error: Error | undefined;
    try {
      synthPlatform({
        buildConnection: {
          name: 'GitHub_main',
          region: 'global',
          githubAppInstallationId: -3,
          oauthTokenSecretVersion: 'projects/acme-secrets/secrets/github-token',
          repositories: [
            { name: 'shop', remoteUri: 'https://github.com/acme/shop.git' },
            { name: 'Shop', remoteUri: 'git@github.com:acme/shop.git' },
            { name: 'web', remoteUri: 'https://github.com/acme/web' },
          ],
        },
      });
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.name).toBe('InvalidOptionsError');
    expect(error?.message).toContain('(7 problems)');
    expect(error?.message).toContain('buildConnection.name: "GitHub_main" is invalid');
    expect(error?.message).toContain('buildConnection.region: "global" is invalid');
    expect(error?.message).toContain('buildConnection.githubAppInstallationId: -3 is invalid');
    expect(error?.message).toContain('buildConnection.oauthTokenSecretVersion: "projects/acme-secrets/secrets/github-token" is invalid');
    expect(error?.message).toContain('buildConnection.repositories[1].name: "Shop" is invalid');
    expect(error?.message).toContain('buildConnection.repositories[1].remoteUri: "git@github.com:acme/shop.git" is invalid');
    expect(error?.message).toContain('buildConnection.repositories[2].remoteUri: "https://github.com/acme/web" is invalid');
  });

  test.each([
    [{ githubAppInstallationId: 1.5 }, 'buildConnection.githubAppInstallationId: 1.5 is invalid'],
    [{ oauthTokenSecretVersion: 'projects/acme-secrets/secrets/github-token/versions/0' }, 'versions/0" is invalid'],
    [{ repositories: [{ name: 'a', remoteUri: 'https://gitlab.com/acme/a.git' }] }, 'repositories[0].remoteUri: "https://gitlab.com/acme/a.git" is invalid'],
    [
      { repositories: [{ name: 'a', remoteUri: 'https://github.com/acme/a.git' }, { name: 'b', remoteUri: 'https://github.com/acme/a.git' }] },
      'repositories[1].remoteUri: "https://github.com/acme/a.git" is invalid',
    ],
    [{ repositories: [{ name: 'a b', remoteUri: 'https://github.com/acme/a.git' }] }, 'repositories[0].name: "a b" is invalid'],
  ])('build connection %j is rejected', (override, message) => {
    expect(() => synthPlatform({ buildConnection: { ...buildConnection, ...override } })).toThrow(message);
  });

  (terraformBinary ? test : test.skip)('terraform reads the file', () => {
    expect(connected.terraform.backend.gcs.bucket).toBe('acme-host-tfstate');
    const output = terraformProviders(connected, temporaryDirectory('platform-terraform'));
    expect(output).toContain('provider[registry.terraform.io/hashicorp/google] >= 7.0.0, < 8.0.0');
  });
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
    const tasks = JSON.parse(fs.readFileSync(path.join(repo, '.projen', 'tasks.json'), 'utf-8')).tasks;
    expect(tasks.upgrade.env.npm_config_yes).toBe('true');
    for (const file of ['infra/registry/main.tf.json', 'cloudbuild.yaml', 'registry/app/routes.py', 'scripts/backend.sh']) {
      expect({ file, exists: fs.existsSync(path.join(repo, file)) }).toEqual({ file, exists: true });
    }

    // The repo's own test task lints the registry and runs its tests on a
    // throwaway database in a local PostgreSQL 15 that the task starts.
    const output = run('npx', ['projen', 'test'], { cwd: repo, env: clientEnv({ PIP_RETRIES: '0' }) });
    expect(output).toMatch(/[0-9]+ passed/);
    expect(output).not.toMatch(/[0-9]+ (failed|error)/);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});
