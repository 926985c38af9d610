import { spawn } from 'child_process';
import * as crypto from 'crypto';
import { once } from 'events';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { GcpPlatformProject, type GcpPlatformProjectOptions } from '../src';
import { alembic, APP_ROLE, RunningBackend } from './support/backend';
import { MetadataServer } from './support/identity-tokens';
import { run } from './support/process';
import { RegistryServer, synthesizeRegistry } from './support/registry-server';
import { synthWithoutInstall, temporaryDirectory } from './support/synth';
import { terraformBinary, terraformProviders, unresolvedReferences } from './support/terraform-checks';

/**
 * The platform's project registry: its Terraform, and its API end to end on
 * a real PostgreSQL 15 over HTTP, with identity tokens checked against a
 * signing key served on loopback.
 */
const PLATFORM: GcpPlatformProjectOptions = {
  name: 'acme-platform',
  projectId: 'acme-host',
  regions: ['europe-west1', 'us-central1'],
  registry: {
    clients: ['group:client-builds@acme.com'],
    readers: ['group:platform-team@acme.com'],
    admins: ['user:ops@acme.com'],
  },
};
const STAGING_BUILD = 'cloud-build-deploy@shop-staging.iam.gserviceaccount.com';
const PROD_BUILD = 'cloud-build-deploy@shop-prod.iam.gserviceaccount.com';
const OTHER_BUILD = 'cloud-build-deploy@blog-prod.iam.gserviceaccount.com';
const ADMIN = 'ops@acme.com';

/** Sends GET with a bearer token and, optionally, a forged Host header; returns the status. */
function requestStatus(url: string, token: string, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { Authorization: `Bearer ${token}`, ...(host ? { 'Host': host, 'X-Forwarded-Proto': 'https' } : {}) } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
  });
}

const platformDir = temporaryDirectory('registry-platform');
const registryDir = synthesizeRegistry(PLATFORM, platformDir);
const tf = JSON.parse(fs.readFileSync(path.join(platformDir, 'infra', 'registry', 'main.tf.json'), 'utf-8'));
const resource = tf.resource;

describe('registry Terraform', () => {
  test('database is private with IAM login', () => {
    const instance = resource.google_sql_database_instance.registry_instance;
    expect(instance.settings.ip_configuration).toMatchObject({
      ipv4_enabled: false,
      private_network: 'projects/acme-host/global/networks/platform',
    });
    expect(instance.settings.database_flags).toContainEqual({ name: 'cloudsql.iam_authentication', value: 'on' });
    expect(instance.deletion_protection).toBe(true);
    expect(resource.google_sql_database.registry_database.name).toBe('registry');
  });

  test('service uses the platform connector', () => {
    const service = resource.google_cloud_run_v2_service.registry_service;
    expect(service.name).toBe('registry');
    expect(service.location).toBe('europe-west1');
    expect(service.template.vpc_access).toEqual({
      connector: 'projects/acme-host/locations/europe-west1/connectors/platform-connector',
      egress: 'PRIVATE_RANGES_ONLY',
    });
    expect(service.template.containers[0].env).toContainEqual({ name: 'REGISTRY_ADMINS', value: ADMIN });
  });

  test('audience is the deterministic URL', () => {
    const url = 'https://registry-${data.google_project.registry.number}.europe-west1.run.app';
    const env = resource.google_cloud_run_v2_service.registry_service.template.containers[0].env;
    expect(env).toContainEqual({ name: 'REGISTRY_AUDIENCE', value: url });
    expect(tf.output.registry_url.value).toBe(url);
    expect(tf.data.google_project.registry).toEqual({ project_id: 'acme-host' });
  });

  test('clients and readers may invoke it', () => {
    const members = Object.values(resource.google_cloud_run_v2_service_iam_member).map((binding: any) => [
      binding.role,
      binding.member,
    ]);
    expect(members).toEqual(
      expect.arrayContaining([
        ['roles/run.invoker', 'group:client-builds@acme.com'],
        ['roles/run.invoker', 'group:platform-team@acme.com'],
        ['roles/run.invoker', 'user:ops@acme.com'],
      ]),
    );
    expect(members.map(([, member]) => member)).not.toContain('allUsers');
  });

  test('state and outputs match what clients read', () => {
    expect(tf.terraform.backend.gcs).toEqual({ bucket: 'acme-host-tfstate', prefix: 'acme-platform/registry' });
    expect(unresolvedReferences(tf).unresolved).toEqual([]);
  });

  (terraformBinary ? test : test.skip)('terraform reads the file', () => {
    const output = terraformProviders(tf, temporaryDirectory('registry-terraform'));
    expect(output).toContain('provider[registry.terraform.io/hashicorp/google] >= 7.0.0, < 8.0.0');
  });

  test('deploy trigger builds the platform repo', () => {
    const trigger = resource.google_cloudbuild_trigger.deploy_trigger;
    expect(trigger.repository_event_config.repository).toBe(
      'projects/acme-host/locations/europe-west1/connections/github/repositories/acme-platform',
    );
    expect(trigger.repository_event_config.push).toEqual({ tag: '^v[0-9]+\\.[0-9]+\\.[0-9]+$' });
  });

  test('platform outputs connector of each region', () => {
    const platformTf = JSON.parse(fs.readFileSync(path.join(platformDir, 'infra', 'platform', 'main.tf.json'), 'utf-8'));
    expect(platformTf.output.connector_ids.value).toEqual({
      'europe-west1': '${google_vpc_access_connector.europe_west1_connector.id}',
      'us-central1': '${google_vpc_access_connector.us_central1_connector.id}',
    });
    expect(platformTf.terraform.backend.gcs.prefix).toBe('acme-platform/platform');
  });

  test('invalid registry options list each problem', () => {
    const attempt = () =>
      new GcpPlatformProject({
        ...PLATFORM,
        outdir: temporaryDirectory('registry-invalid'),
        registry: { clients: ['client-builds@acme.com'], readers: ['allUsers'], admins: ['ops@acme.com', 'group:ops@acme.com'], deployBranch: '^main$', deployTag: '^v1$' },
      });
    expect(attempt).toThrow(/registry\.clients\[0\]: "client-builds@acme\.com" is invalid/);
    expect(attempt).toThrow(/registry\.readers\[0\]: "allUsers" is invalid/);
    expect(attempt).toThrow(/registry\.admins\[0\]: "ops@acme\.com" is invalid/);
    expect(attempt).toThrow(/registry\.admins\[1\]: "group:ops@acme\.com" is invalid/);
    expect(attempt).toThrow(/registry\.deployTag: "\^v1\$" is invalid/);
  });

  test('connection must link the platform repo', () => {
    const buildConnection = {
      githubAppInstallationId: 7,
      oauthTokenSecretVersion: 'projects/acme-host/secrets/github-token/versions/1',
      repositories: [{ name: 'shop', remoteUri: 'https://github.com/acme/shop.git' }],
    };
    const attempt = () => new GcpPlatformProject({ ...PLATFORM, outdir: temporaryDirectory('registry-link'), buildConnection });
    expect(attempt).toThrow(/buildConnection\.repositories: \["shop"\] is invalid\. Allowed: a repository named "acme-platform"/);

    const linked = {
      ...buildConnection,
      repositories: [...buildConnection.repositories, { name: 'acme-platform', remoteUri: 'https://github.com/acme/acme-platform.git' }],
    };
    expect(() => new GcpPlatformProject({ ...PLATFORM, outdir: temporaryDirectory('registry-link'), buildConnection: linked })).not.toThrow();
  });

  test('disabled registry writes no registry files', () => {
    const dir = temporaryDirectory('registry-disabled');
    synthWithoutInstall(new GcpPlatformProject({ ...PLATFORM, outdir: dir, registry: { enabled: false } }));
    expect(fs.existsSync(path.join(dir, 'infra', 'registry'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'registry'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'cloudbuild.yaml'))).toBe(false);
  });
});

describe('registry API', () => {
  let registry: RegistryServer;

  beforeAll(async () => {
    registry = await RegistryServer.start(registryDir, { REGISTRY_ADMINS: ADMIN });
  });

  afterAll(async () => {
    await registry?.stop();
  });

  const call = (method: string, route: string, token?: string, body?: unknown) => registry.call(method, route, token, body);
  const tokenOf = (email: string) => registry.tokenFor(email);
  const shop = {
    repository: 'acme/shop',
    environments: ['staging', 'prod'],
    project_type_version: '1.4.0',
    deployers: { staging: STAGING_BUILD, prod: PROD_BUILD },
  };

  test('migration grants the app role its rows', () => {
    const privileges = registry.database.sql(
      `SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = '${APP_ROLE}' AND table_name = 'projects' ORDER BY 1`,
      'registry',
    );
    expect(privileges.trim().split('\n')).toEqual(['DELETE', 'INSERT', 'SELECT', 'UPDATE']);
  });

  test.each([
    ['no token', () => undefined, /missing bearer token/],
    ['foreign key', () => registry.issuer.sign({ aud: registry.url, email: ADMIN, email_verified: true }, crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey), /Signature verification failed/],
    ['other audience', () => registry.issuer.tokenFor(ADMIN, 'https://shop-api-123.europe-west1.run.app'), /audience/i],
    ['expired token', () => registry.issuer.sign({ aud: registry.url, email: ADMIN, email_verified: true, expiresIn: -120 }), /expired/i],
    ['other issuer', () => registry.issuer.sign({ aud: registry.url, email: ADMIN, email_verified: true, iss: 'https://evil.example' }), /issuer/i],
    ['unverified email', () => registry.issuer.sign({ aud: registry.url, email: ADMIN, email_verified: false }), /no verified email/],
  ])('rejects %s with 401', async (_case, token, detail) => {
    const response = await call('GET', '/projects', token());
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.body.detail).toMatch(detail);
  });

  test('create returns 201 and list shows it', async () => {
    const created = await call('PUT', '/projects/shop', tokenOf(STAGING_BUILD), shop);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'shop', ...shop, registered_by: STAGING_BUILD, deployments: [], last_deploy: null });

    const listed = await call('GET', '/projects', tokenOf('reader@acme.com'));
    expect(listed.status).toBe(200);
    expect(listed.body.map((project: any) => project.name)).toEqual(['shop']);
  });

  test('update by its registrant returns 200', async () => {
    const updated = await call('PUT', '/projects/shop', tokenOf(STAGING_BUILD), { ...shop, project_type_version: '1.5.0' });
    expect(updated.status).toBe(200);
    expect(updated.body.project_type_version).toBe('1.5.0');
    const read = await call('GET', '/projects/shop', tokenOf('reader@acme.com'));
    expect(read.body.project_type_version).toBe('1.5.0');
    expect(new Date(read.body.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(read.body.created_at).getTime());
  });

  test('update by a stranger returns 403', async () => {
    const response = await call('PUT', '/projects/shop', tokenOf(OTHER_BUILD), { ...shop, repository: 'evil/shop' });
    expect(response.status).toBe(403);
    expect(response.body.detail).toContain(OTHER_BUILD);
    const read = await call('GET', '/projects/shop', tokenOf('reader@acme.com'));
    expect(read.body.repository).toBe('acme/shop');
  });

  test('admin may update any project', async () => {
    const response = await call('PUT', '/projects/shop', tokenOf(ADMIN), { ...shop, project_type_version: '1.5.1' });
    expect(response.status).toBe(200);
    expect(response.body.registered_by).toBe(STAGING_BUILD);
  });

  test('deploys record the last deploy per environment', async () => {
    const staging = await call('PUT', '/projects/shop/deployments/staging', tokenOf(STAGING_BUILD), { ...shop, revision: 'a1b2c3' });
    expect(staging.status).toBe(200);
    const prod = await call('PUT', '/projects/shop/deployments/prod', tokenOf(PROD_BUILD), { ...shop, revision: 'd4e5f6' });
    expect(prod.status).toBe(200);

    const read = await call('GET', '/projects/shop', tokenOf('reader@acme.com'));
    const deployments = read.body.deployments.map((d: any) => [d.environment, d.deployer, d.revision]);
    expect(deployments).toEqual([
      ['prod', PROD_BUILD, 'd4e5f6'],
      ['staging', STAGING_BUILD, 'a1b2c3'],
    ]);
    expect(read.body.last_deploy).toMatchObject({ environment: 'prod', revision: 'd4e5f6' });
  });

  test('deploy of a claimed environment by another account returns 403', async () => {
    const response = await call('PUT', '/projects/shop/deployments/staging', tokenOf(OTHER_BUILD), { ...shop, revision: 'ffffff' });
    expect(response.status).toBe(403);
    const read = await call('GET', '/projects/shop', tokenOf('reader@acme.com'));
    expect(read.body.deployments.find((d: any) => d.environment === 'staging').revision).toBe('a1b2c3');
  });

  test('stranger cannot claim an environment of a moved repository', async () => {
    const response = await call('PUT', '/projects/shop/deployments/qa', tokenOf(OTHER_BUILD), {
      ...shop,
      environments: ['staging', 'prod', 'qa'],
      revision: 'ffffff',
    });
    expect(response.status).toBe(403);
  });

  test('deploy of an unlisted environment returns 422', async () => {
    const response = await call('PUT', '/projects/shop/deployments/qa', tokenOf(STAGING_BUILD), { ...shop, revision: 'a1b2c3' });
    expect(response.status).toBe(422);
    expect(response.body.detail).toContain('qa');
  });

  test('invalid body returns 422 naming the field', async () => {
    const response = await call('PUT', '/projects/blog', tokenOf(OTHER_BUILD), { ...shop, environments: ['Prod!'] });
    expect(response.status).toBe(422);
    expect(JSON.stringify(response.body.detail)).toContain('environments');
  });

  test('only admins release an environment', async () => {
    expect((await call('DELETE', '/projects/shop/deployments/staging', tokenOf(STAGING_BUILD))).status).toBe(403);
    expect((await call('DELETE', '/projects/shop/deployments/staging', tokenOf(ADMIN))).status).toBe(204);
    const read = await call('GET', '/projects/shop', tokenOf('reader@acme.com'));
    expect(read.body.deployments.map((d: any) => d.environment)).toEqual(['prod']);
  });

  test('deployer cannot reassign another environment', async () => {
    const stillDeclared = await call('PUT', '/projects/shop/deployments/staging', tokenOf(PROD_BUILD), { ...shop, revision: 'abcdef' });
    expect(stillDeclared.status).toBe(403);

    // The staging build tries to make itself prod's deployer, and to move the repository.
    const takeover = { ...shop, deployers: { staging: STAGING_BUILD, prod: STAGING_BUILD } };
    const reassigned = await call('PUT', '/projects/shop', tokenOf(STAGING_BUILD), takeover);
    expect(reassigned.status).toBe(403);
    expect(reassigned.body.detail).toContain('Only a registry admin may change deployer of prod');
    const viaDeploy = await call('PUT', '/projects/shop/deployments/staging', tokenOf(STAGING_BUILD), { ...takeover, revision: 'x1' });
    expect(viaDeploy.status).toBe(403);
    const moved = await call('PUT', '/projects/shop', tokenOf(STAGING_BUILD), { ...shop, repository: 'https://evil.example/shop' });
    expect(moved.status).toBe(403);

    const read = await call('GET', '/projects/shop', tokenOf('reader@acme.com'));
    expect(read.body.deployers.prod).toBe(PROD_BUILD);
    expect(read.body.repository).toBe('acme/shop');
  });

  test('admin reassigns a deployer', async () => {
    const moved = { ...shop, deployers: { staging: PROD_BUILD, prod: PROD_BUILD } };
    expect((await call('PUT', '/projects/shop', tokenOf(ADMIN), moved)).status).toBe(200);
    const deployed = await call('PUT', '/projects/shop/deployments/staging', tokenOf(PROD_BUILD), { ...moved, revision: 'abcdef' });
    expect(deployed.status).toBe(200);
    expect(deployed.body.deployments.find((d: any) => d.environment === 'staging').deployer).toBe(PROD_BUILD);
  });

  test('admin deletes a wrongly registered project', async () => {
    const squat = { repository: 'someone/newapp', environments: ['prod'], project_type_version: '1.0.0' };
    expect((await call('PUT', '/projects/newapp', tokenOf(OTHER_BUILD), squat)).status).toBe(201);
    expect((await call('DELETE', '/projects/newapp', tokenOf(OTHER_BUILD))).status).toBe(403);
    expect((await call('DELETE', '/projects/newapp', tokenOf(ADMIN))).status).toBe(204);
    expect((await call('GET', '/projects/newapp', tokenOf('reader@acme.com'))).status).toBe(404);
  });

  test('stranger cannot take an undeployed environment', async () => {
    const orders = { repository: 'acme/orders', environments: ['staging', 'prod'], project_type_version: '1.4.0' };
    expect((await call('PUT', '/projects/orders/deployments/staging', tokenOf(STAGING_BUILD), { ...orders, revision: 'a1' })).status).toBe(201);

    const claim = await call('PUT', '/projects/orders/deployments/prod', tokenOf(OTHER_BUILD), {
      ...orders,
      environments: ['prod', 'evil'],
      revision: 'b2',
    });
    expect(claim.status).toBe(403);
    const moved = await call('PUT', '/projects/orders', tokenOf(OTHER_BUILD), { ...orders, repository: 'https://attacker.invalid/evil.git' });
    expect(moved.status).toBe(403);

    const read = await call('GET', '/projects/orders', tokenOf('reader@acme.com'));
    expect(read.body.environments).toEqual(['staging', 'prod']);
    expect(read.body.repository).toBe('acme/orders');
  });

  test('simultaneous first deploys all succeed', async () => {
    const race = { repository: 'acme/race', environments: ['staging', 'prod'], project_type_version: '1.4.0', revision: 'c3' };
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => call('PUT', '/projects/race/deployments/staging', tokenOf(STAGING_BUILD), race)),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 200)).toHaveLength(7);
  });

  test('fixed audience ignores the Host header', async () => {
    const audience = 'https://registry-123456789.europe-west1.run.app';
    const fixed = await RunningBackend.start(registry.python, registryDir, registry.database, 'registry', {
      REGISTRY_JWKS_URL: registry.issuer.jwksUrl,
      REGISTRY_AUDIENCE: audience,
    });
    try {
      const get = (token: string, host?: string) => requestStatus(`${fixed.baseUrl}/projects`, token, host);
      expect(await get(registry.issuer.tokenFor(ADMIN, audience))).toBe(200);
      expect(await get(registry.issuer.tokenFor(ADMIN, 'https://evil.example'), 'evil.example')).toBe(401);
      expect(await get(registry.issuer.tokenFor(ADMIN, fixed.baseUrl))).toBe(401);
    } finally {
      await fixed.stop();
    }
  });

  test.each([
    ['NUL in repository', { repository: 'a\u0000b' }],
    ['newline in repository', { repository: 'acme/shop\n\u001b[31mred' }],
    ['control character in revision', { revision: 'abc\u0007' }],
    ['deployer that is no email', { deployers: { staging: 'not an email' } }],
    ['control character in a deployer', { deployers: { staging: 'a\u0000\u001b[2J@b.com' } }],
    ['C1 control in repository', { repository: 'acme/x\u009b31m' }],
    ['deployer of an unlisted environment', { deployers: { zz: 'other@acme.com' } }],
    ['lone surrogate in repository', { repository: 'acme/x\ud800' }],
  ])('%s returns 422', async (_case, change) => {
    const response = await call('PUT', '/projects/blog/deployments/staging', tokenOf(OTHER_BUILD), {
      ...shop,
      revision: 'a1',
      ...change,
    });
    expect(response.status).toBe(422);
  });

  test('unknown project returns 404', async () => {
    const response = await call('GET', '/projects/nothing', tokenOf('reader@acme.com'));
    expect(response.status).toBe(404);
  });

  describe('register-deploy script', () => {
    let metadata: MetadataServer;
    const script = path.join(platformDir, 'registry-script', 'register-deploy.py');

    beforeAll(async () => {
      metadata = await MetadataServer.start(registry.issuer, 'cloud-build-deploy@blog-staging.iam.gserviceaccount.com');
      fs.mkdirSync(path.dirname(script), { recursive: true });
      fs.copyFileSync(path.join(__dirname, '..', 'templates', 'scripts', 'register-deploy.py'), script);
    });
    afterAll(async () => metadata?.stop());

    /**
     * Runs the script without blocking the event loop, which serves the
     * metadata requests the script makes.
     */
    async function registerDeploy(env: NodeJS.ProcessEnv) {
      const child = spawn('python3', [script], { env });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const [status] = await once(child, 'close');
      return { status, stderr };
    }

    const deployEnv = () => ({
      ...process.env,
      GCE_METADATA_HOST: metadata.host,
      REGISTRY_URL: registry.url,
      PROJECT_NAME: 'blog',
      ENVIRONMENT: 'staging',
      ENVIRONMENTS: 'staging,prod',
      REPOSITORY: 'acme/blog',
      REVISION: '0123456789abcdef',
      PROJECT_TYPE_VERSION: '2.0.0',
      DEPLOYERS: 'staging=cloud-build-deploy@blog-staging.iam.gserviceaccount.com,prod=cloud-build-deploy@blog-prod.iam.gserviceaccount.com',
    });

    test('records the deploy with a metadata token', async () => {
      const result = await registerDeploy(deployEnv());
      expect(result.stderr).toContain('Recorded the deploy of blog to staging');
      expect(result.status).toBe(0);
      expect(metadata.requests).toHaveLength(1);
      expect(metadata.requests[0].flavor).toBe('Google');
      expect(metadata.requests[0].query.get('audience')).toBe(registry.url);
      expect(metadata.requests[0].query.get('format')).toBe('full');

      const read = await call('GET', '/projects/blog', tokenOf('reader@acme.com'));
      expect(read.body).toMatchObject({ repository: 'acme/blog', environments: ['staging', 'prod'], project_type_version: '2.0.0' });
      expect(read.body.deployers).toEqual({
        staging: 'cloud-build-deploy@blog-staging.iam.gserviceaccount.com',
        prod: 'cloud-build-deploy@blog-prod.iam.gserviceaccount.com',
      });
      expect(read.body.last_deploy).toMatchObject({
        environment: 'staging',
        revision: '0123456789abcdef',
        deployer: 'cloud-build-deploy@blog-staging.iam.gserviceaccount.com',
      });
    });

    test('fails with the registry error', async () => {
      const result = await registerDeploy({ ...deployEnv(), PROJECT_NAME: 'shop', REPOSITORY: 'acme/shop' });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/Registry returned HTTP 403 for PUT .*\/projects\/shop\/deployments\/staging/);
    });

    test('fails naming missing variables', async () => {
      const result = await registerDeploy({ ...deployEnv(), REGISTRY_URL: '', REVISION: '' });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('Missing environment variables: REGISTRY_URL, REVISION');
    });
  });

  test('registry backend passes ruff', () => {
    run(registry.python, ['-m', 'ruff', 'check', '.'], { cwd: registryDir });
    run(registry.python, ['-m', 'ruff', 'format', '--check', '.'], { cwd: registryDir });
  });

  test('migrations downgrade and upgrade again', () => {
    alembic(registry.python, registryDir, registry.database, 'registry', ['downgrade', 'base']);
    expect(registry.database.sql("SELECT count(*) FROM pg_tables WHERE tablename IN ('projects', 'deployments')", 'registry').trim()).toBe('0');
    alembic(registry.python, registryDir, registry.database, 'registry', ['upgrade', 'head']);
    expect(registry.database.sql("SELECT count(*) FROM pg_tables WHERE tablename IN ('projects', 'deployments')", 'registry').trim()).toBe('2');
  });
});
