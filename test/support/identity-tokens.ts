import * as crypto from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';

/** Claims of a Google-signed ID token, as the registry reads them. */
export interface TokenClaims {
  readonly aud: string;
  readonly email?: string;
  readonly email_verified?: boolean;
  readonly iss?: string;
  /** Seconds from now until the token expires; negative for an expired one. */
  readonly expiresIn?: number;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Starts an HTTP server with `handler` on a free loopback port and returns it with its URL. */
async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * An issuer of RS256 ID tokens shaped like Google's, with its public key
 * served as a JWKS on a loopback port. The registry verifies these tokens
 * with the same code that verifies Google's.
 */
export class TokenIssuer {
  static async start(): Promise<TokenIssuer> {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = crypto.randomBytes(8).toString('hex');
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
    const { server, url } = await listen((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    return new TokenIssuer(server, `${url}/certs`, privateKey, kid);
  }

  private constructor(
    private readonly server: http.Server,
    /** URL of the JWKS, for REGISTRY_JWKS_URL. */
    public readonly jwksUrl: string,
    private readonly privateKey: crypto.KeyObject,
    private readonly kid: string,
  ) {}

  /** Signs a token with this issuer's key, or with `otherKey` to forge one. */
  sign(claims: TokenClaims, otherKey?: crypto.KeyObject): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: this.kid };
    const payload = {
      iss: claims.iss ?? 'https://accounts.google.com',
      aud: claims.aud,
      sub: '1234567890',
      iat: now,
      exp: now + (claims.expiresIn ?? 3600),
      ...(claims.email === undefined ? {} : { email: claims.email }),
      ...(claims.email_verified === undefined ? {} : { email_verified: claims.email_verified }),
    };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    const signature = crypto.sign('RSA-SHA256', Buffer.from(signingInput), otherKey ?? this.privateKey);
    return `${signingInput}.${base64url(signature)}`;
  }

  /** Returns a token of `email` for `aud` with every claim valid. */
  tokenFor(email: string, aud: string): string {
    return this.sign({ aud, email, email_verified: true });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A request the metadata server received. */
export interface MetadataRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly flavor: string | undefined;
}

/**
 * A loopback stand-in for the metadata server's identity endpoint, which
 * Cloud Build provides and this machine does not. It returns tokens of one
 * service account from `issuer` and records each request.
 */
export class MetadataServer {
  static async start(issuer: TokenIssuer, email: string): Promise<MetadataServer> {
    const requests: MetadataRequest[] = [];
    const { server, url } = await listen((request, response) => {
      const parsed = new URL(request.url ?? '/', 'http://metadata');
      requests.push({ path: parsed.pathname, query: parsed.searchParams, flavor: request.headers['metadata-flavor'] as string | undefined });
      const audience = parsed.searchParams.get('audience');
      if (request.headers['metadata-flavor'] !== 'Google' || !audience) {
        response.writeHead(403);
        response.end('Missing Metadata-Flavor header or audience');
        return;
      }
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end(issuer.tokenFor(email, audience));
    });
    return new MetadataServer(server, url.replace('http://', ''), requests);
  }

  private constructor(
    private readonly server: http.Server,
    /** host:port, for GCE_METADATA_HOST. */
    public readonly host: string,
    public readonly requests: MetadataRequest[],
  ) {}

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
