/**
 * The only module that touches cdktf's app and synthesis machinery. It turns
 * constructs into plain Terraform JSON in process, so client repos need no
 * cdktf CLI. Swapping the engine means changing this file.
 */
import * as os from 'os';
import { App, DataTerraformRemoteStateGcs, Fn, GcsBackend, TerraformOutput, TerraformResource, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

export type Scope = Construct;

export interface StackDefinition {
  /** Stack name, such as the environment name. */
  readonly name: string;
  /** Adds the stack's resources. */
  readonly build: (scope: Scope) => void;
  /** Raw overrides applied last, keyed by a dotted path into the JSON. */
  readonly overrides?: ReadonlyArray<readonly [string, unknown]>;
}

/**
 * Builds one stack and returns its Terraform JSON.
 *
 * cdktf records a stack trace for every token it creates. Capturing and
 * formatting those traces, under ts-node through source maps, costs more
 * than building the stack, and nothing here reads them. So while the stack
 * is built and serialized, captures into cdktf's plain objects are skipped.
 */
export function synthesizeStack(definition: StackDefinition): Record<string, unknown> {
  return withoutTokenStackTraces(() => {
    // The app creates its output directory if it is missing; the system
    // temporary directory always exists, so nothing is written.
    const app = new App({ outdir: os.tmpdir(), stackTraces: false, skipValidation: true });
    const stack = new TerraformStack(app, definition.name);
    definition.build(stack);

    const json = stack.toTerraform() as Record<string, unknown>;
    applyOverrides(stack, json, definition.overrides ?? []);
    // cdktf's metadata block names the cdktf version and construct paths,
    // which would make every engine upgrade rewrite the files.
    delete json['//'];
    stripResourceMetadata(json);
    return json;
  });
}

/** Stores Terraform state in a Cloud Storage bucket. */
export function useGcsBackend(scope: Scope, bucket: string, prefix: string): void {
  new GcsBackend(scope, { bucket, prefix });
}

/** Adds a Terraform output: a string, or a map of strings. */
/**
 * Declares a `terraform_remote_state` data source named `id` that reads the
 * state another root module keeps in a Cloud Storage bucket.
 */
export function readRemoteState(scope: Scope, id: string, bucket: string, prefix: string): void {
  new DataTerraformRemoteStateGcs(scope, id, { bucket, prefix });
}

export function addOutput(scope: Scope, id: string, value: string | Record<string, string>, description: string): void {
  new TerraformOutput(scope, id, { value, description });
}

/** Returns a Terraform expression that removes `suffix` from the end of `value`. */
export function trimSuffix(value: string, suffix: string): string {
  return Fn.trimsuffix(value, suffix);
}

/**
 * Applies raw overrides in order to the serialized JSON. Each sets the value
 * at its dotted path, replacing lists rather than appending to them as
 * cdktf's own overrides do; `undefined` deletes the path. A path into a field
 * of a resource must name a resource the stack has, or one an earlier
 * override added whole: otherwise a typo would add a partial resource that
 * only `terraform plan` reports.
 */
function applyOverrides(
  stack: TerraformStack,
  json: Record<string, unknown>,
  overrides: ReadonlyArray<readonly [string, unknown]>,
): void {
  const resources = stack.node
    .findAll()
    .filter((construct): construct is TerraformResource => construct instanceof TerraformResource)
    .map((resource) => `${resource.terraformResourceType}.${resource.friendlyUniqueId}`);
  const known = new Set(resources);

  for (const [path, value] of overrides) {
    const [block, type, id, ...field] = path.split('.');
    if (block === 'resource' && field.length === 0) known.add(`${type}.${id}`);
    if (block === 'resource' && field.length > 0 && !known.has(`${type}.${id}`)) {
      const sameType = resources.filter((address) => address.startsWith(`${type}.`));
      throw new Error(
        `Cannot override "${path}" in environment "${stack.node.id}": it has no resource ${type}.${id}. ` +
          (sameType.length > 0 ? `Resources of that type: ${sameType.join(', ')}. ` : '') +
          `Fix the path, or add the whole resource first with the path "resource.${type}.${id}".`,
      );
    }
    setPath(json, path.split('.'), value);
  }
}

function setPath(target: Record<string, any>, keys: string[], value: unknown): void {
  const [key, ...rest] = keys;
  if (rest.length === 0) {
    if (value === undefined) delete target[key];
    else target[key] = value;
    return;
  }
  if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
  setPath(target[key], rest, value);
}

function stripResourceMetadata(json: Record<string, unknown>): void {
  for (const block of ['resource', 'data']) {
    const types = (json[block] ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
    for (const resources of Object.values(types)) {
      for (const resource of Object.values(resources)) {
        delete resource['//'];
      }
    }
  }
}

function withoutTokenStackTraces<T>(work: () => T): T {
  const errorConstructor = Error as { captureStackTrace: (target: object, below?: Function) => void };
  const capture = errorConstructor.captureStackTrace;
  // cdktf captures into plain objects and never reads the result here; real
  // errors still get their stack.
  errorConstructor.captureStackTrace = (target, below) => {
    if (target instanceof Error) capture(target, below);
  };
  try {
    return work();
  } finally {
    errorConstructor.captureStackTrace = capture;
  }
}
