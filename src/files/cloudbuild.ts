import { type Project, YamlFile } from 'projen';
import { PACKAGE_VERSION } from './package-version';
import { BACKEND_DIR, FRONTEND_DIR } from './template-files';
import type { ResolvedApp } from '../options/defaults';
import { buildAccountEmail, databaseGroups, ENVIRONMENT_SUBSTITUTION, IMAGE_NAME, REGISTRY_URL_SUBSTITUTION } from '../options/names';

const CLOUD_SDK = 'gcr.io/google.com/cloudsdktool/cloud-sdk:slim';
const DOCKER = 'gcr.io/cloud-builders/docker';
const REGION = '${_REGION}';
const IMAGE = '${_IMAGE}';
const FRONTEND_IMAGE = '${_FRONTEND_IMAGE}';
const FRONTEND_IMAGE_NAME = 'frontend';

function gcloudStep(id: string, args: string[]) {
  return { id, name: CLOUD_SDK, entrypoint: 'gcloud', args };
}

/**
 * Returns the build Cloud Build runs for every environment, as plain data. Steps run
 * one after another and the build stops at the first failure, so no service
 * is updated unless every migration succeeded.
 */
export function cloudBuildConfig(app: ResolvedApp, backendDir = BACKEND_DIR) {
  const migrations = databaseGroups(app).flatMap((group) => [
    gcloudStep(`update-${group.migrationJob}`, ['run', 'jobs', 'update', group.migrationJob, '--image', IMAGE, '--region', REGION]),
    // `--wait` makes the step fail when the migration fails.
    gcloudStep(`run-${group.migrationJob}`, ['run', 'jobs', 'execute', group.migrationJob, '--region', REGION, '--wait']),
  ]);
  const deploys = app.services.map((service) =>
    gcloudStep(`deploy-${service.name}`, ['run', 'services', 'update', service.name, '--image', IMAGE, '--region', REGION]),
  );
  const frontend = app.frontend;
  const frontendBuild = frontend
    ? [
      { id: 'build-frontend', name: DOCKER, args: ['build', '--tag', FRONTEND_IMAGE, '--label', 'org.opencontainers.image.revision=${COMMIT_SHA}', FRONTEND_DIR] },
      { id: 'push-frontend', name: DOCKER, args: ['push', FRONTEND_IMAGE] },
    ]
    : [];
  const frontendDeploy = frontend
    ? [gcloudStep(`deploy-${frontend.name}`, ['run', 'services', 'update', frontend.name, '--image', FRONTEND_IMAGE, '--region', REGION])]
    : [];

  return {
    substitutions: {
      // Each environment's trigger sets _REGION. A build started by hand
      // deploys to the first environment's region unless it passes
      // --substitutions=_REGION=<region>.
      _REGION: app.environments[0].region,
      _REPOSITORY: app.artifactRepository,
      // BUILD_ID exists in every build; COMMIT_SHA only in triggered ones,
      // so the commit goes into a label instead of the tag.
      _IMAGE: `\${_REGION}-docker.pkg.dev/\${PROJECT_ID}/\${_REPOSITORY}/${IMAGE_NAME}:\${BUILD_ID}`,
      ...(frontend
        ? { _FRONTEND_IMAGE: `\${_REGION}-docker.pkg.dev/\${PROJECT_ID}/\${_REPOSITORY}/${FRONTEND_IMAGE_NAME}:\${BUILD_ID}` }
        : {}),
      // Each trigger sets both. A build started by hand records no deploy,
      // because the register step fails without the registry's URL.
      ...(app.platform ? { [ENVIRONMENT_SUBSTITUTION]: app.environments[0].name, [REGISTRY_URL_SUBSTITUTION]: '' } : {}),
    },
    steps: [
      {
        id: 'build',
        name: DOCKER,
        args: ['build', '--tag', IMAGE, '--label', 'org.opencontainers.image.revision=${COMMIT_SHA}', backendDir],
      },
      { id: 'push', name: DOCKER, args: ['push', IMAGE] },
      ...frontendBuild,
      ...migrations,
      ...deploys,
      ...frontendDeploy,
      ...(app.platform ? [registerStep(app)] : []),
    ],
    images: frontend ? [IMAGE, FRONTEND_IMAGE] : [IMAGE],
    options: {
      // _IMAGE refers to other substitutions.
      dynamicSubstitutions: true,
      // Builds that run as a user-specified service account must choose
      // where logs go; Cloud Logging needs no bucket.
      logging: 'CLOUD_LOGGING_ONLY',
    },
  };
}

/**
 * Returns the step that records the deploy in the platform's registry. A
 * registry outage must not fail a deploy that already happened, so the step
 * may fail; the build's log and status still show it.
 */
function registerStep(app: ResolvedApp) {
  return {
    id: 'register-deploy',
    name: CLOUD_SDK,
    entrypoint: 'python3',
    args: ['scripts/register-deploy.py'],
    env: [
      `REGISTRY_URL=\${${REGISTRY_URL_SUBSTITUTION}}`,
      `PROJECT_NAME=${app.name}`,
      `ENVIRONMENT=\${${ENVIRONMENT_SUBSTITUTION}}`,
      `ENVIRONMENTS=${app.environments.map((environment) => environment.name).join(',')}`,
      'REPOSITORY=${REPO_FULL_NAME}',
      'REVISION=${COMMIT_SHA}',
      `PROJECT_TYPE_VERSION=${PACKAGE_VERSION}`,
      `DEPLOYERS=${app.environments.map((environment) => `${environment.name}=${buildAccountEmail(environment)}`).join(',')}`,
    ],
    allowFailure: true,
  };
}

/** Adds `cloudbuild.yaml`, which builds the image from `backendDir`. */
export function addCloudBuild(project: Project, app: ResolvedApp, backendDir = BACKEND_DIR): YamlFile {
  return new YamlFile(project, 'cloudbuild.yaml', { obj: cloudBuildConfig(app, backendDir) });
}
