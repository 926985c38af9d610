import type { Project } from 'projen';

/**
 * Lets `npx projen upgrade` run unattended. projen's upgrade task fetches
 * npm-check-updates with `npx`, which prompts before installing and fails
 * without a terminal to answer, as in CI or a fleet upgrade. The task itself is
 * locked, so the setting goes into its environment in `.projen/tasks.json`.
 */
export function allowUnattendedUpgrade(project: Project): void {
  project.tryFindObjectFile('.projen/tasks.json')?.addOverride('tasks.upgrade.env.npm_config_yes', 'true');
}
