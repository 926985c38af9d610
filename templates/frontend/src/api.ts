import createClient from "openapi-fetch";

import type { components, paths } from "./schema";

/**
 * Typed client for the backend API. Paths are relative to /api, which the
 * Vite dev and preview servers and the container's nginx forward to the
 * backend with the /api prefix removed.
 */
export const api = createClient<paths>({ baseUrl: "/api" });

/** Request and response bodies of the backend API, by OpenAPI schema name. */
export type Schemas = components["schemas"];
