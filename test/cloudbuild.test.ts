import * as path from 'path';
import { DatabaseMode } from '../src';
import { cloudSdkRoot, loadWithGcloud } from './support/gcloud';
import { synthClient } from './support/synth';

const client = synthClient({
  services: [
    { name: 'api' },
    { name: 'worker', command: ['python', '-m', 'app.worker'] },
    { name: 'reports', database: DatabaseMode.DEDICATED },
    { name: 'frontend', database: DatabaseMode.NONE },
  ],
});
const build = client.yaml('cloudbuild.yaml');
const stepIds = build.steps.map((step: any) => step.id);
const step = (id: string) => build.steps.find((candidate: any) => candidate.id === id);

test('steps build, migrate, then deploy', () => {
  expect(stepIds).toEqual([
    'build',
    'push',
    'update-api-migrate',
    'run-api-migrate',
    'update-reports-migrate',
    'run-reports-migrate',
    'deploy-api',
    'deploy-worker',
    'deploy-reports',
    'deploy-frontend',
  ]);
});

test('migration waits for the job', () => {
  expect(step('run-api-migrate').entrypoint).toBe('gcloud');
  expect(step('run-api-migrate').args).toEqual(['run', 'jobs', 'execute', 'api-migrate', '--region', '${_REGION}', '--wait']);
  expect(step('update-reports-migrate').args).toEqual([
    'run', 'jobs', 'update', 'reports-migrate', '--image', '${_IMAGE}', '--region', '${_REGION}',
  ]);
});

test('deploys use the pushed image', () => {
  for (const service of ['api', 'worker', 'reports', 'frontend']) {
    expect(step(`deploy-${service}`).args).toEqual(['run', 'services', 'update', service, '--image', '${_IMAGE}', '--region', '${_REGION}']);
  }
  expect(build.images).toEqual(['${_IMAGE}']);
});

test('image path points at Artifact Registry', () => {
  expect(build.substitutions._IMAGE).toBe('${_REGION}-docker.pkg.dev/${PROJECT_ID}/${_REPOSITORY}/backend:${BUILD_ID}');
  expect(step('build').args).toEqual([
    'build', '--tag', '${_IMAGE}', '--label', 'org.opencontainers.image.revision=${COMMIT_SHA}', 'backend',
  ]);
  expect(build.options.dynamicSubstitutions).toBe(true);
  expect(build.options.logging).toBe('CLOUD_LOGGING_ONLY');
});

test('names match the Terraform', () => {
  for (const environment of ['staging', 'prod']) {
    const tf = client.json(`infra/${environment}/main.tf.json`);
    const jobs = Object.values(tf.resource.google_cloud_run_v2_job).map((job: any) => job.name);
    const services = Object.values(tf.resource.google_cloud_run_v2_service).map((service: any) => service.name);
    expect(stepIds.filter((id: string) => id.startsWith('run-')).map((id: string) => id.slice(4))).toEqual(jobs);
    expect(stepIds.filter((id: string) => id.startsWith('deploy-')).map((id: string) => id.slice(7))).toEqual(services);
    expect(tf.resource.google_artifact_registry_repository.artifact_repository.repository_id).toBe(build.substitutions._REPOSITORY);
    expect(Object.keys(tf.resource.google_cloudbuild_trigger.deploy_trigger.substitutions)).toEqual(['_REGION']);
  }
});

test('every substitution is declared and used', () => {
  const text = client.text('cloudbuild.yaml');
  const used = new Set([...text.matchAll(/\$\{(_[A-Z_]+)\}/g)].map((match) => match[1]));
  const declared = new Set(Object.keys(build.substitutions));
  expect([...used].sort()).toEqual([...declared].sort());
});

const sdkRoot = cloudSdkRoot();
(sdkRoot ? test : test.skip)('gcloud parser loads the file', () => {
  expect(loadWithGcloud(sdkRoot!, path.join(client.dir, 'cloudbuild.yaml'))).toBe(10);
});
