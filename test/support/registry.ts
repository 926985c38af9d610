import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './client-repo';
import { Background, freePort, run, waitFor } from './process';

const VERDACCIO = path.join(REPO_ROOT, 'node_modules', '.bin', 'verdaccio');

/**
 * A private npm registry (Verdaccio) on a loopback port. It serves the
 * versions of projen-gcp-app the test publishes and passes every other
 * package through to the public registry, so `projen new` and
 * `npx projen upgrade` run unchanged against it.
 */
export class LocalRegistry {
  static async start(root: string): Promise<LocalRegistry> {
    const port = await freePort();
    fs.mkdirSync(root, { recursive: true });
    const config = path.join(root, 'config.yaml');
    fs.writeFileSync(
      config,
      [
        `storage: ${path.join(root, 'storage')}`,
        'uplinks:',
        '  npmjs:',
        '    url: https://registry.npmjs.org/',
        'packages:',
        "  'projen-gcp-app':",
        '    access: $all',
        '    publish: $anonymous',
        "  '**':",
        '    access: $all',
        '    proxy: npmjs',
        'log: { type: stdout, format: pretty, level: warn }',
        '',
      ].join('\n'),
    );
    const server = new Background(VERDACCIO, ['--config', config, '--listen', `127.0.0.1:${port}`]);
    const registry = new LocalRegistry(server, `http://127.0.0.1:${port}/`);
    await waitFor(
      async () => !server.exited && (await fetch(`${registry.url}-/ping`)).ok,
      30_000,
      () => `Verdaccio did not start:\n${server.log}`,
    );
    return registry;
  }

  private constructor(
    private readonly server: Background,
    public readonly url: string,
  ) {}

  /** Settings that point npm, npx and npm-check-updates at this registry. */
  get env(): NodeJS.ProcessEnv {
    return { npm_config_registry: this.url };
  }

  /**
   * Publishes an unpacked package folder. Verdaccio takes anonymous
   * publishes of projen-gcp-app. A release below the newest needs its own
   * dist-tag, as on the public registry.
   */
  publish(packageDir: string, tag = 'latest'): void {
    const host = this.url.replace(/^http:/, '');
    run('npm', ['publish', '--registry', this.url, '--tag', tag, `--${host}:_authToken=anonymous`], { cwd: packageDir });
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }
}
