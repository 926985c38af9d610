import { javascript } from 'projen';
import type { GcpPlatformProjectOptions } from './gcp-platform-project-options';
import { resolvePlatform, validatePlatform } from './platform-config';
import { REGISTRY_DIR, registryApp, registryOverrides, registryProblems } from './registry-config';
import { applicationRepoOptions, markPrivate } from '../files/application-repo';
import { ClientProjenrc, normalizeTarballSpec } from '../files/client-projenrc';
import { addRegistryTasks } from '../files/client-tasks';
import { addCloudBuild } from '../files/cloudbuild';
import { addRegistryFiles } from '../files/template-files';
import { infraDir, TerraformJsonFile } from '../files/terraform-file';
import { allowUnattendedUpgrade } from '../files/unattended-upgrade';
import { synthesizeEnvironment } from '../infra/environment-stack';
import { synthesizePlatform } from '../infra/platform-stack';
import { checkPolicy, PolicyViolationError } from '../policy/policy-check';

/**
 * The platform repo: Terraform for what every client repo shares, the VPC
 * network with private services access, a Serverless VPC Access connector
 * per region, a shared Artifact Registry, the Cloud Build connection, and
 * the project registry that client deploys report to.
 *
 * @pjid gcp-platform
 */
export class GcpPlatformProject extends javascript.NodeProject {
  constructor(options: GcpPlatformProjectOptions) {
    const config = resolvePlatform(options);
    validatePlatform(config, registryProblems(config, options.registry));

    super({
      ...options,
      ...applicationRepoOptions(options.devDeps),
      readme: {
        filename: 'README.md',
        contents: [
          `# ${options.name}`,
          '',
          'The shared network, connectors and project registry of the client repos.',
          'Run `npx projen`, then `terraform init` and `terraform apply` in `infra/platform`',
          'and after it in `infra/registry`. Client repos name this repo in their',
          '`.projenrc.ts` to read its values:',
          '',
          '```ts',
          `platform: { stateBucket: ${JSON.stringify(config.stateBucket)}, name: ${JSON.stringify(config.name)} },`,
          '```',
          '',
        ].join('\n'),
      },
    });
    markPrivate(this);
    allowUnattendedUpgrade(this);

    new ClientProjenrc(this, {
      typeCheck: true,
      render: (args) =>
        [
          'import { GcpPlatformProject } from "projen-gcp-app";',
          '',
          'const project = new GcpPlatformProject({',
          `  name: ${JSON.stringify(args.name)},`,
          `  projectId: ${JSON.stringify(args.projectId)},`,
          '  regions: ["europe-west1"],',
          ...(args.devDeps?.length ? [`  devDeps: ${JSON.stringify(args.devDeps.map(normalizeTarballSpec))},`] : []),
          '});',
          '',
          'project.synth();',
          '',
        ].join('\n'),
    });
    this.gitignore.exclude('.terraform/', 'tfplan', '.venv/', '__pycache__/', '.pytest_cache/', '.ruff_cache/');
    new TerraformJsonFile(this, `${infraDir('platform')}/main.tf.json`, () => synthesizePlatform(config));

    const registry = registryApp(config, options.registry);
    if (registry) {
      const environment = registry.environments[0];
      new TerraformJsonFile(this, `${infraDir(environment.name)}/main.tf.json`, () => {
        const json = synthesizeEnvironment(registry, environment, registryOverrides(config));
        const violations = checkPolicy(json, { environment: environment.name, production: environment.production, publicServices: [] }, []);
        if (violations.length > 0) throw new PolicyViolationError(environment.name, violations);
        return json;
      });
      addRegistryFiles(this, REGISTRY_DIR);
      addCloudBuild(this, registry, REGISTRY_DIR);
      addRegistryTasks(this);
    }
  }
}
