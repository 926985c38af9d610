import { type Project, YamlFile } from 'projen';
import { BACKEND_DIR } from './backend-files';
import type { ResolvedApp } from '../options/defaults';
import { serviceNames } from '../options/names';

const CLOUD_SDK = 'gcr.io/google.com/cloudsdktool/cloud-sdk:slim';
const DOCKER = 'gcr.io/cloud-builders/docker';

/** The build Cloud Build runs for every environment, as plain data. */
export function cloudBuildConfig(app: ResolvedApp) {
  const names = serviceNames(app);
  const region = '${_REGION}';
  const image = '${_IMAGE}';

  return {
    substitutions: {
      // Triggers override these per environment; the values here are the
      // first environment's, for a build started by hand.
      _REGION: app.environments[0].region,
      _REPOSITORY: app.artifactRepository,
      _SERVICE: app.serviceName,
      _MIGRATION_JOB: names.migrationJob,
      _IMAGE: '${_REGION}-docker.pkg.dev/${PROJECT_ID}/${_REPOSITORY}/${_SERVICE}:${COMMIT_SHA}',
    },
    steps: [
      { id: 'build', name: DOCKER, args: ['build', '--tag', image, BACKEND_DIR] },
      { id: 'push', name: DOCKER, args: ['push', image] },
      {
        id: 'update-migration-job',
        name: CLOUD_SDK,
        entrypoint: 'gcloud',
        args: ['run', 'jobs', 'update', '${_MIGRATION_JOB}', '--image', image, '--region', region],
      },
      {
        // `--wait` makes the step fail when the migration fails, so the
        // build stops before the deploy step moves traffic.
        id: 'migrate',
        name: CLOUD_SDK,
        entrypoint: 'gcloud',
        args: ['run', 'jobs', 'execute', '${_MIGRATION_JOB}', '--region', region, '--wait'],
      },
      {
        id: 'deploy',
        name: CLOUD_SDK,
        entrypoint: 'gcloud',
        args: ['run', 'services', 'update', '${_SERVICE}', '--image', image, '--region', region],
      },
    ],
    images: [image],
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
