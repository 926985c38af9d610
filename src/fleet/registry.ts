import { execFileSync } from 'child_process';
import { errorLine, FleetError } from './repos';

/** The fields of a registry project that fleet uses. `GET /projects` returns more. */
export interface RegisteredProject {
  readonly name: string;
  /** Cloud Build's `REPO_FULL_NAME` (such as `acme/shop`), a Git URL or a local path. */
  readonly repository: string;
}

/** Project names as the registry accepts them. fleet also uses them as folder names. */
const NAME_PATTERN = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
const REQUEST_TIMEOUT_MS = 30_000;

/** Checks `--registry` and returns it without a trailing slash, the form the registry expects as the token's audience. */
export function registryUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new FleetError(`Invalid --registry "${value}": use the registry's URL, such as https://registry-abc123-ew.a.run.app.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new FleetError(`Invalid --registry "${value}": use an http:// or https:// URL.`);
  }
  return value.replace(/\/+$/, '');
}

function tokenHelp(url: string): string {
  return (
    `To get a token, set REGISTRY_TOKEN to a Google ID token whose audience is ${url}, ` +
    'or authenticate gcloud as a service account that is a registry reader (gcloud auth activate-service-account), ' +
    'or impersonate one (gcloud config set auth/impersonate_service_account EMAIL).'
  );
}

/**
 * Returns the ID token for the registry at `url`: REGISTRY_TOKEN when it is
 * set, otherwise one that gcloud prints for the audience `url`. The token is
 * never part of a message.
 */
export function registryToken(url: string, env: NodeJS.ProcessEnv): string {
  const fromEnvironment = env.REGISTRY_TOKEN?.trim();
  if (fromEnvironment) return fromEnvironment;

  let token: string;
  try {
    token = execFileSync('gcloud', ['auth', 'print-identity-token', `--audiences=${url}`, '--include-email'], {
      encoding: 'utf-8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    }).trim();
  } catch (error: any) {
    const reason = error.code === 'ENOENT' ? 'gcloud is not installed' : `gcloud failed: ${errorLine(`${error.stderr || error.message}`)}`;
    throw new FleetError(`No token for the registry: REGISTRY_TOKEN is not set and ${reason}. ${tokenHelp(url)}`);
  }
  if (!token) throw new FleetError(`No token for the registry: gcloud printed an empty token. ${tokenHelp(url)}`);
  return token;
}

/**
 * Reads every project from the registry's `GET /projects`. Throws a
 * FleetError when the registry cannot be reached, rejects the request or
 * returns something other than a list of projects.
 */
export async function listProjects(url: string, token: string): Promise<RegisteredProject[]> {
  const endpoint = `${url}/projects`;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error: any) {
    if (error.name === 'TimeoutError') {
      throw new FleetError(`The registry did not respond to GET ${endpoint} within ${REQUEST_TIMEOUT_MS / 1000} s.`);
    }
    // fetch rejects with "fetch failed" and keeps the socket error as the cause.
    const reason = error.cause?.message ?? error.message;
    throw new FleetError(`Could not reach the registry at ${url}: ${reason}. Check --registry and the network.`);
  }

  const text = await response.text();
  if (response.status === 401) {
    throw new FleetError(`The registry rejected the token (HTTP 401): ${errorDetail(text)}. ${tokenHelp(url)}`);
  }
  if (response.status === 403) {
    throw new FleetError(
      `The registry denied access (HTTP 403): ${errorDetail(text)}. The account needs roles/run.invoker on the registry service, which the platform's registry readers have.`,
    );
  }
  if (!response.ok) throw new FleetError(`The registry returned HTTP ${response.status} for GET ${endpoint}: ${errorDetail(text)}.`);

  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new FleetError(`The registry's response to GET ${endpoint} is not JSON: ${excerpt(text)}`);
  }
  return projectsOf(body, endpoint);
}

/** Checks the fields fleet uses in the body of `GET /projects`. */
function projectsOf(body: unknown, endpoint: string): RegisteredProject[] {
  const invalid = (problem: string) => new FleetError(`The registry's response to GET ${endpoint} has an unexpected shape: ${problem}.`);
  if (!Array.isArray(body)) throw invalid(`expected a JSON list of projects, got ${excerpt(JSON.stringify(body))}`);
  return body.map((item: unknown, index) => {
    const project = item as Partial<Record<keyof RegisteredProject, unknown>> | null;
    if (typeof project !== 'object' || project === null) throw invalid(`item ${index} is not an object`);
    if (typeof project.name !== 'string' || !NAME_PATTERN.test(project.name)) {
      throw invalid(`item ${index} has no valid "name" (lowercase letters, digits and hyphens): ${JSON.stringify(project.name)}`);
    }
    if (typeof project.repository !== 'string' || project.repository.trim() === '') {
      throw invalid(`project ${project.name} has no "repository" string`);
    }
    return { name: project.name, repository: project.repository.trim() };
  });
}

/** Returns the `detail` of a FastAPI error body, or the start of any other body. */
function errorDetail(text: string): string {
  try {
    const detail = JSON.parse(text).detail;
    if (detail !== undefined) return (typeof detail === 'string' ? detail : JSON.stringify(detail)).replace(/\.$/, '');
  } catch {
    // Not JSON, such as an HTML error page of a proxy.
  }
  return excerpt(text) || 'empty response';
}

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 120)}...` : line;
}
