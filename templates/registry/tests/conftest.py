"""Fixtures for the registry's tests against a real PostgreSQL database.

DATABASE_URL must point at a database migrated with ``alembic upgrade head``.
Tokens are signed with a key made for the test session, whose JWKS a server
on a loopback port serves, so the same verification code runs as on Cloud Run.
"""

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.database import Database, create_database, get_session
from app.settings import get_settings

ADMIN = "admin@example.com"
KEY_ID = "test-key"
# TestClient sends requests to this origin, the audience the registry expects.
AUDIENCE = "http://testserver"

_signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwks() -> bytes:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(_signing_key.public_key()))
    keys = [{**jwk, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]
    return json.dumps({"keys": keys}).encode()


class _JwksHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = _jwks()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep request lines out of the test output."""


@pytest.fixture(scope="session", autouse=True)
def token_settings() -> Iterator[None]:
    """Serve the key set and point the registry at it before the app loads."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _JwksHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    os.environ["REGISTRY_JWKS_URL"] = f"http://127.0.0.1:{server.server_port}/certs"
    os.environ["REGISTRY_ADMINS"] = ADMIN
    os.environ.pop("REGISTRY_AUDIENCE", None)
    yield
    server.shutdown()
    server.server_close()


TokenFactory = Callable[..., str]


@pytest.fixture
def token() -> TokenFactory:
    """Return a function that signs an ID token for an email."""

    def sign(email: str, audience: str = AUDIENCE, expires_in: int = 600) -> str:
        now = int(time.time())
        claims = {
            "iss": "https://accounts.google.com",
            "aud": audience,
            "sub": "1",
            "iat": now,
            "exp": now + expires_in,
            "email": email,
            "email_verified": True,
        }
        return jwt.encode(
            claims, _signing_key, algorithm="RS256", headers={"kid": KEY_ID}
        )

    return sign


@pytest.fixture(scope="session")
def database(token_settings: None) -> Iterator[Database]:
    if not os.environ.get("DATABASE_URL"):
        pytest.fail(
            "DATABASE_URL is not set. Run the tests with "
            "`npx projen registry:test`, which migrates a throwaway database.",
            pytrace=False,
        )
    database = create_database(get_settings())
    yield database
    database.close()


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    """Yield a session whose changes are rolled back after the test."""
    with database.engine.connect() as connection:
        transaction = connection.begin()
        with Session(
            bind=connection,
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
        ) as test_session:
            yield test_session
        transaction.rollback()


@pytest.fixture
def client(session: Session) -> Iterator[TestClient]:
    from app.main import create_app

    app = create_app()
    app.dependency_overrides[get_session] = lambda: session
    with TestClient(app) as test_client:
        yield test_client
