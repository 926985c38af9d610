import * as fs from 'fs';
import * as path from 'path';
import { type InitProject, type javascript, ProjenrcFile } from 'projen';
import { TypescriptConfig } from 'projen/lib/javascript';
import { defaultEnvironments } from '../options/defaults';

/** Versions of the tools that run the client's `.projenrc.ts`. */
export const PROJENRC_DEV_DEPS = ['ts-node@^10.9.2', 'typescript@~5.9.3', '@types/node@^20'];

/** Name of this package on npm. */
const PACKAGE_NAME = 'projen-gcp-app';

/**
 * Turns a path to a tarball of this package, as `projen new --from` passes
 * it, into a dependency npm and projen can both read:
 * `projen-gcp-app@file:/absolute/path.tgz`. projen would otherwise take the
 * whole path for the package name. `npm pack` and jsii-pacmak both name
 * their tarballs `*.tgz`.
 */
export function normalizeTarballSpec(spec: string): string {
  if (!spec.endsWith('.tgz') || spec.startsWith(`${PACKAGE_NAME}@file:`)) return spec;
  return `${PACKAGE_NAME}@file:${path.resolve(spec.replace(/^file:/, ''))}`;
}

const FILE_NAME = '.projenrc.ts';
const TSCONFIG = 'tsconfig.projen.json';

/**
 * The client repo's `.projenrc.ts`, run by ts-node with type checking.
 *
 * projen's own `ProjenrcTs` component runs ts-node through `npx -p` in
 * projects without TypeScript, which fetches it on every synth. The client
 * installs it as a development dependency instead.
 */
export class ClientProjenrc extends ProjenrcFile {
  public readonly filePath = FILE_NAME;

  private readonly render: (args: Record<string, any>) => string;

  constructor(
    project: javascript.NodeProject,
    options: { readonly typeCheck: boolean; readonly render?: (args: Record<string, any>) => string },
  ) {
    super(project);
    this.render = options.render ?? renderProjenrc;

    new TypescriptConfig(project, {
      fileName: TSCONFIG,
      include: [FILE_NAME, 'projenrc/**/*.ts'],
      compilerOptions: {
        target: 'ES2022',
        module: 'commonjs',
        moduleResolution: 'node' as any,
        lib: ['es2022'],
        types: ['node'],
        strict: true,
        esModuleInterop: true,
        // Checking the declarations of projen and its dependencies on every
        // synth would only find problems in them, not in .projenrc.ts.
        skipLibCheck: true,
        noEmit: true,
      },
    });
    project.addDevDeps(...PROJENRC_DEV_DEPS);
    const transpileOnly = options.typeCheck ? '' : '--transpileOnly ';
    project.defaultTask?.exec(`ts-node ${transpileOnly}--project ${TSCONFIG} ${FILE_NAME}`);

    // Type errors in .projenrc.ts fail the tests even when synth skips the check.
    const typecheck = project.addTask('typecheck', {
      description: 'Type-check .projenrc.ts',
      exec: `tsc --noEmit --project ${TSCONFIG}`,
    });
    project.testTask.spawn(typecheck);
  }

  /** Writes a first `.projenrc.ts` that shows every value the user should check. */
  public projectCreation(init: InitProject): void {
    const file = path.join(this.project.outdir, FILE_NAME);
    if (fs.existsSync(file)) return;
    fs.writeFileSync(file, this.render(init.args));
    this.project.logger.info(`Project definition file was created at ${file}`);
  }
}

/** Options `projen new` passes that the rendered file shows, in this order. */
const RENDERED_OPTIONS = ['databaseName', 'connectorName', 'networkName', 'networkProjectId'];

/**
 * Renders the first `.projenrc.ts` of a client repo. Environments are written
 * out in full, because their project IDs are the values every team edits.
 */
export function renderProjenrc(args: Record<string, any>): string {
  const name: string = args.name;
  const environments = args.environments ?? defaultEnvironments(name);

  const lines = [
    'import { GcpAppProject } from "projen-gcp-app";',
    '',
    'const project = new GcpAppProject({',
    `  name: ${JSON.stringify(name)},`,
    `  region: ${JSON.stringify(args.region)},`,
    '  // Replace the project IDs with your own before `terraform init`.',
    '  environments: [',
    ...environments.map(
      (environment: { name: string; projectId: string }) =>
        `    { name: ${JSON.stringify(environment.name)}, projectId: ${JSON.stringify(environment.projectId)} },`,
    ),
    '  ],',
  ];
  for (const option of RENDERED_OPTIONS) {
    if (args[option] !== undefined) lines.push(`  ${option}: ${JSON.stringify(args[option])},`);
  }
  if (args.devDeps?.length) {
    lines.push(`  devDeps: ${JSON.stringify(args.devDeps.map(normalizeTarballSpec))},`);
  }
  lines.push('});', '', 'project.synth();', '');
  return lines.join('\n');
}
