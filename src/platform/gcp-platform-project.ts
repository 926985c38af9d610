import { javascript } from 'projen';
import type { GcpPlatformProjectOptions } from './gcp-platform-project-options';
import { resolvePlatform, validatePlatform } from './platform-config';
import { applicationRepoOptions, markPrivate } from '../files/application-repo';
import { ClientProjenrc, normalizeTarballSpec } from '../files/client-projenrc';
import { TerraformJsonFile } from '../files/terraform-file';
import { synthesizePlatform } from '../infra/platform-stack';

/**
 * The platform repo: Terraform for what every client repo shares, the VPC
 * network with private services access, a Serverless VPC Access connector
 * per region and a shared Artifact Registry.
 *
 * @pjid gcp-platform
 */
export class GcpPlatformProject extends javascript.NodeProject {
  constructor(options: GcpPlatformProjectOptions) {
    const config = resolvePlatform(options);
    validatePlatform(config);

    super({
      ...options,
      ...applicationRepoOptions(options.devDeps),
      readme: {
        filename: 'README.md',
        contents: `# ${options.name}\n\nThe shared network, connectors and registry of the client repos. Run \`npx projen\`, then \`terraform -chdir=infra/platform init\` and \`apply\`.\n`,
      },
    });
    markPrivate(this);

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
    this.gitignore.exclude('.terraform/', 'tfplan');
    new TerraformJsonFile(this, 'infra/platform/main.tf.json', () => synthesizePlatform(config));
  }
}
