import type { javascript } from 'projen';

interface ClientTask {
  readonly name: string;
  readonly description: string;
  readonly exec: string;
  /** Passes the arguments after the task name on to the command. */
  readonly receiveArgs?: boolean;
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
 * Adds the client's tasks and makes `npx projen test` lint and test the
 * backend as well as type-check `.projenrc.ts`.
 */
export function addClientTasks(project: javascript.NodeProject): void {
  for (const task of CLIENT_TASKS) {
    project.addTask(task.name, {
      description: task.description,
      steps: [{ exec: task.exec, receiveArgs: task.receiveArgs }],
    });
  }
  project.testTask.spawn(project.tasks.tryFind('backend:lint')!);
  project.testTask.spawn(project.tasks.tryFind('backend:test')!);
  project.gitignore.exclude('.local/', 'tfplan');
}
