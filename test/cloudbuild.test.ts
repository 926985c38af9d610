import * as path from 'path';
import { cloudSdkRoot, loadWithGcloud } from './support/gcloud';
import { synthClient } from './support/synth';

const client = synthClient();
const build = client.yaml('cloudbuild.yaml');
const stepIds = build.steps.map((step: any) => step.id);

test('steps build, migrate, then deploy', () => {
  expect(stepIds).toEqual(['build', 'push', 'update-migration-job', 'migrate', 'deploy']);
});

test('migration waits for the job', () => {
  const migrate = build.steps.find((step: any) => step.id === 'migrate');
  expect(migrate.entrypoint).toBe('gcloud');
  expect(migrate.args).toEqual(['run', 'jobs', 'execute', '${_MIGRATION_JOB}', '--region', '${_REGION}', '--wait']);
});

test('deploy uses the pushed image', () => {
  const deploy = build.steps.find((step: any) => step.id === 'deploy');
  expect(deploy.args).toEqual(['run', 'services', 'update', '${_SERVICE}', '--image', '${_IMAGE}', '--region', '${_REGION}']);
  expect(build.images).toEqual(['${_IMAGE}']);
});

test('image path points at Artifact Registry', () => {
  expect(build.substitutions._IMAGE).toBe(
    '${_REGION}-docker.pkg.dev/${PROJECT_ID}/${_REPOSITORY}/${_SERVICE}:${COMMIT_SHA}',
  );
  expect(build.options.dynamicSubstitutions).toBe(true);
});

test('substitution defaults match the Terraform names', () => {
  expect(build.substitutions).toMatchObject({
    _REGION: 'europe-west1',
    _REPOSITORY: 'containers',
    _SERVICE: 'api',
    _MIGRATION_JOB: 'api-migrate',
  });
  const tf = client.json('infra/staging/main.tf.json').resource;
  expect(tf.google_cloud_run_v2_job.migration_job.name).toBe(build.substitutions._MIGRATION_JOB);
  expect(tf.google_cloud_run_v2_service.service.name).toBe(build.substitutions._SERVICE);
});

test('every substitution is declared and used', () => {
  const text = client.text('cloudbuild.yaml');
  const used = new Set([...text.matchAll(/\$\{(_[A-Z_]+)\}/g)].map((match) => match[1]));
  const declared = new Set(Object.keys(build.substitutions));
  expect([...used].sort()).toEqual([...declared].sort());
});

const sdkRoot = cloudSdkRoot();
(sdkRoot ? test : test.skip)('gcloud parser loads the file', () => {
  expect(loadWithGcloud(sdkRoot!, path.join(client.dir, 'cloudbuild.yaml'))).toBe(5);
});
