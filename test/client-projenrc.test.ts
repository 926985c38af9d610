import * as path from 'path';
import { normalizeTarballSpec, renderProjenrc } from '../src/files/client-projenrc';

test.each([
  ['/tmp/pack/projen-gcp-app-1.2.3.tgz', 'projen-gcp-app@file:/tmp/pack/projen-gcp-app-1.2.3.tgz'],
  ['/repo/dist/js/projen-gcp-app@1.2.3.jsii.tgz', 'projen-gcp-app@file:/repo/dist/js/projen-gcp-app@1.2.3.jsii.tgz'],
  ['file:/tmp/x.tgz', 'projen-gcp-app@file:/tmp/x.tgz'],
  ['projen-gcp-app@file:/tmp/x.tgz', 'projen-gcp-app@file:/tmp/x.tgz'],
  ['projen-gcp-app', 'projen-gcp-app'],
  ['projen-gcp-app@^1.2.0', 'projen-gcp-app@^1.2.0'],
])('tarball spec %s', (spec, expected) => {
  expect(normalizeTarballSpec(spec)).toBe(expected);
});

test('relative tarball becomes absolute', () => {
  expect(normalizeTarballSpec('dist/js/projen-gcp-app@0.0.0.jsii.tgz')).toBe(
    `projen-gcp-app@file:${path.resolve('dist/js/projen-gcp-app@0.0.0.jsii.tgz')}`,
  );
});

test('rendered projenrc shows environments', () => {
  const text = renderProjenrc({ name: 'orders', region: 'europe-west1', devDeps: ['projen-gcp-app'], databaseName: 'orders' });
  expect(text).toBe(
    [
      'import { GcpAppProject } from "projen-gcp-app";',
      '',
      'const project = new GcpAppProject({',
      '  name: "orders",',
      '  region: "europe-west1",',
      '  // Replace the project IDs with your own before `terraform init`.',
      '  environments: [',
      '    { name: "staging", projectId: "orders-staging" },',
      '    { name: "prod", projectId: "orders-prod" },',
      '  ],',
      '  databaseName: "orders",',
      '  devDeps: ["projen-gcp-app"],',
      '});',
      '',
      'project.synth();',
      '',
    ].join('\n'),
  );
});
