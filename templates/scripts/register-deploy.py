"""Record a deploy in the platform's project registry.

The deploy build runs this as its last step. It fetches an identity token
for the registry's URL from the metadata server, as the build's service
account, and sends PUT /projects/NAME/deployments/ENVIRONMENT. It uses only
the standard library, so it runs in the Cloud SDK image as it is.

Environment variables, all required:
  REGISTRY_URL          URL of the registry, the audience of the token.
  PROJECT_NAME          This repo's project name.
  ENVIRONMENT           Environment the build deployed.
  ENVIRONMENTS          Every environment of the repo, comma-separated.
  REPOSITORY            Repository the build ran from, such as acme/shop.
  REVISION              Commit the build deployed.
  PROJECT_TYPE_VERSION  Version of projen-gcp-app that generated the repo.
  DEPLOYERS             Build account of each environment, such as
                        staging=EMAIL,prod=EMAIL. The registry accepts an
                        environment's deploys only from its account.
Optional:
  GCE_METADATA_HOST     Host of the metadata server
                        (default: metadata.google.internal).
"""

import json
import logging
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

logger = logging.getLogger("register-deploy")

REQUIRED = (
    "REGISTRY_URL",
    "PROJECT_NAME",
    "ENVIRONMENT",
    "ENVIRONMENTS",
    "REPOSITORY",
    "REVISION",
    "PROJECT_TYPE_VERSION",
    "DEPLOYERS",
)
TIMEOUT_SECONDS = 30


def fetch_identity_token(audience: str) -> str:
    """Fetch a Google-signed ID token for the audience from the metadata server.

    format=full adds the email claim, which the registry records as the
    deployer.
    """
    host = os.environ.get("GCE_METADATA_HOST", "metadata.google.internal")
    query = urllib.parse.urlencode({"audience": audience, "format": "full"})
    request = urllib.request.Request(
        f"http://{host}/computeMetadata/v1/instance/service-accounts/default/"
        f"identity?{query}",
        headers={"Metadata-Flavor": "Google"},
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        return response.read().decode().strip()


def parse_deployers(value: str) -> dict[str, str]:
    """Parse "env=email,env=email" into a dictionary."""
    pairs = (item.split("=", 1) for item in value.split(",") if "=" in item)
    return {environment.strip(): email.strip() for environment, email in pairs}


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        logger.error("Missing environment variables: %s", ", ".join(missing))
        return 2

    registry_url = os.environ["REGISTRY_URL"].rstrip("/")
    name = os.environ["PROJECT_NAME"]
    environment = os.environ["ENVIRONMENT"]
    body = {
        "repository": os.environ["REPOSITORY"],
        "environments": os.environ["ENVIRONMENTS"].split(","),
        "project_type_version": os.environ["PROJECT_TYPE_VERSION"],
        "revision": os.environ["REVISION"],
        "deployers": parse_deployers(os.environ["DEPLOYERS"]),
    }
    url = (
        f"{registry_url}/projects/{urllib.parse.quote(name)}"
        f"/deployments/{urllib.parse.quote(environment)}"
    )

    try:
        token = fetch_identity_token(registry_url)
    except (urllib.error.URLError, TimeoutError) as error:
        logger.error("Cannot fetch an identity token: %s", error)
        return 1

    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="PUT",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            logger.info(
                "Recorded the deploy of %s to %s at %s (HTTP %s)",
                name,
                environment,
                body["revision"],
                response.status,
            )
    except urllib.error.HTTPError as error:
        detail = error.read().decode(errors="replace")[:500]
        logger.error(
            "Registry returned HTTP %s for PUT %s: %s", error.code, url, detail
        )
        return 1
    except (urllib.error.URLError, TimeoutError) as error:
        logger.error("Cannot reach the registry at %s: %s", registry_url, error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
