import { javascript } from 'projen';
import { normalizeTarballSpec } from './client-projenrc';

/**
 * NodeProject settings of a repo that is an application, not a library: no
 * npm package, release, JavaScript tests or license file of its own. Both
 * the client and the platform repo use them.
 */
export function applicationRepoOptions(devDeps: string[] | undefined) {
  return {
    defaultReleaseBranch: 'main',
    packageManager: javascript.NodePackageManager.NPM,
    devDeps: devDeps?.map(normalizeTarballSpec),
    projenrcJs: false,
    projenrcJson: false,
    jest: false,
    prettier: false,
    package: false,
    release: false,
    licensed: false,
    npmignoreEnabled: false,
    github: false,
    buildWorkflow: false,
    entrypoint: '',
    depsUpgrade: true,
  };
}

/** Marks the repo's package.json private, so that npm never publishes it. */
export function markPrivate(project: javascript.NodeProject): void {
  project.package.addField('private', true);
  project.package.file.addDeletionOverride('publishConfig');
}
