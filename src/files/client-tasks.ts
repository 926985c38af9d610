import type { javascript } from 'projen';

interface ClientTask {
  readonly name: string;
  readonly description: string;
  readonly exec: string;
  /** Passes the arguments after the task name on to the command. */
  readonly receiveArgs?: boolean;
  readonly env?: Record<string, string>;
}

/** Tasks of a client repo, listed by `npx projen --help`; each calls a managed script in `scripts/`. */
const CLIENT_TASKS: ClientTask[] = [
  { name: 'dev', description: 'Run PostgreSQL and the backend with reload (Docker Compose, or a local PostgreSQL without it)', exec: 'bash scripts/dev.sh' },
  { name: 'backend:install', description: 'Create backend/.venv and install the backend requirements', exec: 'bash scripts/backend.sh install' },
  { name: 'backend:lint', description: 'Check the backend with ruff', exec: 'bash scripts/backend.sh lint' },
  { name: 'backend:test', description: 'Run the backend tests on a throwaway database (local PostgreSQL unless DATABASE_URL is set)', exec: 'bash scripts/backend.sh test' },
  { name: 'db:start', description: 'Start the local PostgreSQL in .local/postgres', exec: 'bash scripts/local-postgres.sh start' },
  { name: 'db:stop', description: 'Stop the local PostgreSQL', exec: 'bash scripts/local-postgres.sh stop' },
  { name: 'db:migrate', description: 'Apply the migrations (DATABASE_URL, or the local PostgreSQL)', exec: 'bash scripts/backend.sh migrate' },
  { name: 'db:revision', description: 'Create a migration from the model changes: npx projen db:revision "add orders"', exec: 'bash scripts/backend.sh revision', receiveArgs: true },
  { name: 'infra:plan', description: 'Plan the Terraform of one environment: npx projen infra:plan staging', exec: 'bash scripts/infra.sh plan', receiveArgs: true },
  { name: 'infra:apply', description: 'Apply the plan infra:plan saved: npx projen infra:apply staging', exec: 'bash scripts/infra.sh apply', receiveArgs: true },
];

/**
 * Tasks of the platform repo's registry. They run the client's scripts on
 * `registry/`; its migrations belong to the package, so there is no
 * revision task.
 */
const REGISTRY_TASKS: ClientTask[] = [
  ['install', 'Create registry/.venv and install the registry requirements'],
  ['lint', 'Check the registry with ruff'],
  ['test', 'Run the registry tests on a throwaway database (local PostgreSQL unless DATABASE_URL is set)'],
  ['migrate', 'Apply the registry migrations (DATABASE_URL, or the local PostgreSQL)'],
].map(([command, description]) => ({
  name: `registry:${command}`,
  description,
  exec: `bash scripts/backend.sh ${command}`,
  env: { BACKEND_FOLDER: 'registry' },
}));

const DATABASE_TASKS = CLIENT_TASKS.filter((task) => task.name === 'db:start' || task.name === 'db:stop');

function addTasks(project: javascript.NodeProject, tasks: ClientTask[]): void {
  for (const task of tasks) {
    project.addTask(task.name, {
      description: task.description,
      env: task.env,
      steps: [{ exec: task.exec, receiveArgs: task.receiveArgs }],
    });
  }
  project.gitignore.exclude('.local/', 'tfplan');
}

/**
 * Adds the client's tasks and makes `npx projen test` lint and test the
 * backend as well as type-check `.projenrc.ts`.
 */
export function addClientTasks(project: javascript.NodeProject): void {
  addTasks(project, CLIENT_TASKS);
  project.testTask.spawn(project.tasks.tryFind('backend:lint')!);
  project.testTask.spawn(project.tasks.tryFind('backend:test')!);
}

/** Adds the registry's tasks and makes `npx projen test` lint and test it. */
export function addRegistryTasks(project: javascript.NodeProject): void {
  addTasks(project, [...REGISTRY_TASKS, ...DATABASE_TASKS]);
  project.testTask.spawn(project.tasks.tryFind('registry:lint')!);
  project.testTask.spawn(project.tasks.tryFind('registry:test')!);
}
