/**
 * Database access of a service.
 */
export enum DatabaseMode {
  /** The service uses the environment's shared Cloud SQL instance and database. */
  SHARED = 'shared',
  /** The service gets a Cloud SQL instance, database and migration job of its own. */
  DEDICATED = 'dedicated',
  /** The service has no database: no database user, connection variables or Cloud SQL attachment. */
  NONE = 'none',
}

/** Network sources allowed to reach a Cloud Run service. */
export enum ServiceIngress {
  /** Requests from the internet and from inside the project. */
  ALL = 'INGRESS_TRAFFIC_ALL',
  /** Only requests from the project's VPC networks and Google Cloud services. */
  INTERNAL_ONLY = 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  /** Internal requests and requests through an external Application Load Balancer. */
  INTERNAL_AND_LOAD_BALANCER = 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
}

/**
 * A Secret Manager secret a service reads. The secret must already exist in
 * the environment's project: its value never passes through Terraform.
 */
export interface SecretOptions {
  /** ID of the secret in Secret Manager, such as `stripe-api-key`. */
  readonly secret: string;

  /**
   * Environment variable that receives the secret's value. Set this or
   * `path`, not both.
   *
   * @default - none
   */
  readonly envVar?: string;

  /**
   * Absolute path of a file that contains the secret's value, such as
   * `/secrets/stripe/key`. Set this or `envVar`, not both.
   *
   * @default - none
   */
  readonly path?: string;

  /**
   * Version of the secret.
   *
   * @default "latest"
   */
  readonly version?: string;
}

/**
 * The optional web frontend: a TypeScript app in `frontend/` with an API
 * client generated from the backend's OpenAPI schema, served by its own
 * Cloud Run service that passes `/api/` on to the backend.
 */
export interface FrontendOptions {
  /**
   * Name of the frontend's Cloud Run service.
   *
   * @default "web"
   */
  readonly name?: string;
}

/**
 * One Cloud Run service of the repo. All services run the image built from
 * `backend/`; a service that is not the HTTP API sets its own `command`.
 */
export interface ServiceOptions {
  /**
   * Name of the Cloud Run service. It prefixes the service's account
   * (`<name>-run`) and, with a dedicated database, its instance and
   * migration job.
   */
  readonly name: string;

  /**
   * Database access of the service.
   *
   * @default DatabaseMode.SHARED
   */
  readonly database?: DatabaseMode;

  /**
   * Command of the container, replacing the image's uvicorn command.
   *
   * @default - the image's command, which serves `app.main:app`
   */
  readonly command?: string[];

  /**
   * CPU limit of each instance, in Cloud Run's notation (`"1"`, `"2"`, `"500m"`).
   *
   * @default "1"
   */
  readonly cpu?: string;

  /**
   * Memory limit of each instance, such as `"512Mi"` or `"1Gi"`.
   *
   * @default "512Mi"
   */
  readonly memory?: string;

  /**
   * Network sources allowed to reach the service.
   *
   * @default ServiceIngress.ALL
   */
  readonly ingress?: ServiceIngress;

  /**
   * Let anyone call the service without authentication, by granting
   * `roles/run.invoker` to `allUsers`.
   *
   * @default false
   */
  readonly public?: boolean;

  /**
   * IAM principals allowed to call the service, each granted
   * `roles/run.invoker` on it, such as
   * `serviceAccount:web-run@acme-prod.iam.gserviceaccount.com` or
   * `group:platform@acme.com`.
   *
   * @default []
   */
  readonly invokers?: string[];

  /**
   * Plain environment variables of the service, by name. Values are stored
   * in Terraform and on the service as clear text, so secrets belong in
   * `secrets`.
   *
   * @default {}
   */
  readonly env?: { [name: string]: string };

  /**
   * Secret Manager secrets the service reads. Only this service's account
   * may access each one.
   *
   * @default []
   */
  readonly secrets?: SecretOptions[];
}
