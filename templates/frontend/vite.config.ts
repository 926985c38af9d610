import { defineConfig, type ProxyOptions } from "vite";

// Backend that `npm run dev` and `npm run preview` forward /api/ to, for
// example the local uvicorn or a deployed service URL. An empty value counts
// as unset. The container image uses nginx and API_URL instead.
const backendUrl = process.env.BACKEND_URL || "http://127.0.0.1:8080";

const apiProxy: Record<string, ProxyOptions> = {
  "/api/": {
    target: backendUrl,
    // Sends the backend's own host name as Host, which Cloud Run requires.
    changeOrigin: true,
    rewrite: (path) => path.replace(/^\/api/, ""),
  },
};

export default defineConfig({
  server: { host: "127.0.0.1", proxy: apiProxy },
  preview: { host: "127.0.0.1", proxy: apiProxy },
});
