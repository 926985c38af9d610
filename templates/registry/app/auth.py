"""Identity-token authentication of registry callers.

Cloud Run lets a request through only when its Google-signed ID token belongs
to a principal with the run.invoker role on the service. The registry checks
the token again itself, so that a route never runs without a verified caller,
and uses the token's email claim to decide who may change which record.
"""

import logging
from functools import cache
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, Request, status
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

logger = logging.getLogger(__name__)

GOOGLE_JWKS_URL = "https://www.googleapis.com/oauth2/v3/certs"
GOOGLE_ISSUERS = ("https://accounts.google.com", "accounts.google.com")

# Google signs ID tokens with RS256 only. Listing the algorithm stops a token
# from choosing a weaker one, such as "none" or an HMAC keyed with the public key.
ALGORITHMS = ["RS256"]


def _split_list(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class AuthSettings(BaseSettings):
    """Token checks, read from REGISTRY_* environment variables."""

    model_config = SettingsConfigDict(
        env_prefix="REGISTRY_", env_ignore_empty=True, extra="ignore"
    )

    audience: str | None = Field(
        default=None,
        description=(
            "Audience that tokens must name. Unset, it is the URL the request "
            "was sent to, such as https://registry-123456789.europe-west1.run.app, "
            "which is the audience Cloud Run itself accepts."
        ),
    )
    jwks_url: str = GOOGLE_JWKS_URL
    # NoDecode reads these as comma-separated text rather than JSON.
    issuers: Annotated[list[str], NoDecode] = Field(default=list(GOOGLE_ISSUERS))
    admins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Emails that may change any record, comma-separated.",
    )
    # Google rotates its signing keys every few days and publishes the next key
    # before using it, so an hour of caching never misses a valid key.
    key_cache_seconds: int = Field(default=3600, ge=0)

    _split_lists = field_validator("issuers", "admins", mode="before")(_split_list)


@cache
def get_auth_settings() -> AuthSettings:
    """Load the token settings once per process.

    Raises pydantic.ValidationError when a variable has an invalid value.
    """
    return AuthSettings()


@cache
def _key_client(jwks_url: str, cache_seconds: int) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=cache_seconds)


def _unauthorized(reason: str, request: Request) -> HTTPException:
    logger.warning("Rejected %s %s: %s", request.method, request.url.path, reason)
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=f"Invalid credentials: {reason}.",
        headers={"WWW-Authenticate": "Bearer"},
    )


def verify_caller(request: Request) -> str:
    """Verify the request's bearer ID token and return the caller's email.

    Raises HTTPException 401 when the token is missing, not signed by a key of
    the JWKS, expired, for another audience or issuer, or has no verified
    email, and 503 when the signing keys cannot be fetched.
    """
    settings = get_auth_settings()
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("missing bearer token", request)

    try:
        key = _key_client(
            settings.jwks_url, settings.key_cache_seconds
        ).get_signing_key_from_jwt(token)
    except jwt.PyJWKClientConnectionError as error:
        logger.error("Cannot fetch signing keys from %s: %s", settings.jwks_url, error)
        raise HTTPException(
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            detail="Cannot verify tokens right now. Try again shortly.",
            headers={"Retry-After": "5"},
        ) from error
    except jwt.PyJWTError as error:
        raise _unauthorized(
            f"no signing key matches the token ({error})", request
        ) from error

    # Behind Cloud Run, uvicorn's proxy headers make this the https URL the
    # caller used, so a token minted for another service does not pass.
    audience = settings.audience or str(request.base_url).rstrip("/")
    try:
        claims = jwt.decode(
            token,
            key.key,
            algorithms=ALGORITHMS,
            audience=audience,
            issuer=settings.issuers,
            options={"require": ["exp", "iat", "aud", "iss"]},
        )
    except jwt.PyJWTError as error:
        raise _unauthorized(str(error).rstrip("."), request) from error

    email = claims.get("email")
    if not isinstance(email, str) or claims.get("email_verified") is not True:
        raise _unauthorized("token has no verified email claim", request)
    return email.lower()


Caller = Annotated[str, Depends(verify_caller)]


def is_admin(email: str) -> bool:
    """Return whether the caller may change any record."""
    return email in {admin.lower() for admin in get_auth_settings().admins}
