import { cdk, javascript } from 'projen';

const project = new cdk.JsiiProject({
  name: 'projen-gcp-app',
  description:
    'A projen project type for Cloud Run services on a private-IP Cloud SQL for PostgreSQL database with IAM authentication.',
  author: 'projen-gcp-app developers',
  authorAddress: 'dev@projen-gcp-app.invalid',
  repositoryUrl: 'https://github.com/projen-gcp-app/projen-gcp-app.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  jsiiVersion: '~6.0.0',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  bin: { fleet: 'lib/fleet/cli.js' },
  keywords: ['projen', 'cloud-run', 'cloud-sql', 'terraform', 'fastapi'],

  peerDeps: ['projen@^0.103.25', 'constructs@^10.8.1'],
  deps: ['cdktf@~0.21.0', '@cdktf/provider-google@^16.12.1'],
  devDeps: ['projen@0.103.25', 'ts-node', 'typescript@~5.9.3', '@types/node@^20', 'yaml@^2', 'verdaccio@^6', 'playwright-core@^1.65.2', 'fast-check@^4.11.0'],

  // The end-to-end tests build the package, scaffold client repos and run
  // their backends, which takes minutes rather than jest's default 5 s.
  jestOptions: {
    jestConfig: {
      testTimeout: 600_000,
      maxWorkers: 1,
    },
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
  },

  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
});

project.npmignore?.addPatterns('/test/', '/docs/', '/.ci/', '/.work/');

// The main job on a built-in example: pack, scaffold a client, synthesize it
// and serve its backend on a throwaway PostgreSQL.
project.addTask('example', {
  description: 'Create, synthesize and run an example client repo in .work/example',
  steps: [{ exec: 'ts-node --project test/tsconfig.json test/support/example.ts' }],
});
project.gitignore.addPatterns('/.work/');

// Benchmarks synth against plain projen; `--quick` runs one repetition for CI.
project.addTask('bench', {
  description: 'Benchmark client synth against plain projen and write docs/benchmarks.md',
  steps: [{ exec: 'ts-node --project test/tsconfig.json test/bench/benchmark.ts', receiveArgs: true }],
});

// Runs the options property on 10,000 generated option sets.
project.addTask('soak', {
  description: 'Check 10,000 generated option sets and write docs/soak.md',
  steps: [{ exec: 'ts-node --project test/tsconfig.json test/bench/soak.ts', receiveArgs: true }],
});

project.synth();
