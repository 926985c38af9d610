import { type Project, YamlFile } from 'projen';
import { BACKEND_DIR, FRONTEND_DIR } from './template-files';
import type { ResolvedApp } from '../options/defaults';
import { databaseGroups, IMAGE_NAME } from '../options/names';

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
export function cloudBuildConfig(app: ResolvedApp) {
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
    },
    steps: [
      {
        id: 'build',
        name: DOCKER,
        args: ['build', '--tag', IMAGE, '--label', 'org.opencontainers.image.revision=${COMMIT_SHA}', BACKEND_DIR],
      },
      { id: 'push', name: DOCKER, args: ['push', IMAGE] },
      ...frontendBuild,
      ...migrations,
      ...deploys,
      ...frontendDeploy,
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

/** Adds `cloudbuild.yaml`. */
export function addCloudBuild(project: Project, app: ResolvedApp): YamlFile {
  return new YamlFile(project, 'cloudbuild.yaml', { obj: cloudBuildConfig(app) });
}
