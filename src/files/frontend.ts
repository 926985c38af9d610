import { JsonFile, type javascript } from 'projen';
import { FRONTEND_DIR } from './template-files';

/** npm settings of the frontend, kept by the project type so that upgrades can move its versions. */
const FRONTEND_PACKAGE = {
  name: 'frontend',
  private: true,
  version: '0.0.0',
  type: 'module',
  scripts: {
    dev: 'vite',
    build: 'tsc --noEmit && vite build',
    preview: 'vite preview',
    generate: 'openapi-typescript openapi.json -o src/schema.d.ts',
  },
  dependencies: { 'openapi-fetch': '^0.17.0' },
  devDependencies: {
    '@types/node': '^20.19.0',
    'openapi-typescript': '^7.13.0',
    'typescript': '~5.9.3',
    'vite': '^8.4.1',
  },
};

const FRONTEND_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    module: 'ESNext',
    moduleResolution: 'bundler',
    types: ['vite/client', 'node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    noFallthroughCasesInSwitch: true,
    isolatedModules: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ['src', 'vite.config.ts'],
};

/**
 * Adds the frontend's npm and TypeScript settings and its tasks. The
 * frontend keeps its own package.json and lockfile, apart from the projen
 * dependencies of the repo.
 */
export function addFrontendProject(project: javascript.NodeProject): void {
  new JsonFile(project, `${FRONTEND_DIR}/package.json`, { obj: FRONTEND_PACKAGE });
  new JsonFile(project, `${FRONTEND_DIR}/tsconfig.json`, { obj: FRONTEND_TSCONFIG, allowComments: true });
  project.gitignore.exclude(`/${FRONTEND_DIR}/dist/`);

  const tasks = [
    { name: 'frontend:install', description: 'Install the frontend npm packages', exec: 'bash scripts/frontend.sh install' },
    { name: 'frontend:client', description: "Regenerate the frontend's API client from the backend's OpenAPI schema", exec: 'bash scripts/frontend.sh client' },
    { name: 'frontend:build', description: 'Type-check and build the frontend into frontend/dist', exec: 'bash scripts/frontend.sh build' },
    { name: 'frontend:dev', description: 'Serve the frontend with reload, passing /api/ to the backend at BACKEND_URL', exec: 'bash scripts/frontend.sh dev' },
  ];
  for (const task of tasks) {
    project.addTask(task.name, { description: task.description, exec: task.exec });
  }
  project.testTask.spawn(project.tasks.tryFind('frontend:build')!);
}
