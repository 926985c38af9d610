"""Registry API: client projects and the last deploy of each environment.

Every route needs a verified identity token. A project names, for each of its
environments, the identity that deploys it (``deployers``, which a client
repo's build sends from its declaration). Who may change a project: the
identity that registered it, a declared or past deployer, or an admin
(REGISTRY_ADMINS). An environment's deploys are accepted from its declared
deployer, or, when none is declared, from the first identity that deployed
it. An admin may record any deploy and release an environment's deployer.
"""

import logging
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Response, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, computed_field
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.auth import Caller, get_auth_settings, is_admin
from app.database import SessionDep
from app.models import Deployment, Project

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/projects", tags=["projects"])

# Reads the REGISTRY_* settings at import, so that an invalid value stops the
# process at start-up instead of failing every request.
get_auth_settings()

# Project and environment names follow the project type's rules: lowercase
# letters, digits and hyphens, starting with a letter.
NAME_PATTERN = r"^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$"
Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
NameInPath = Annotated[str, Path(pattern=NAME_PATTERN)]
Version = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z.+-]+$", max_length=64)]
# Printable text only: PostgreSQL rejects NUL in text columns, and control
# characters would garble the tables that fleet prints.
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f]+$")]
Email = Annotated[
    str, StringConstraints(pattern=r"^[^\s@]+@[^\s@]+\.[^\s@]+$", max_length=254)
]


class ProjectWrite(BaseModel):
    repository: Annotated[Text, StringConstraints(max_length=500)]
    environments: list[Name] = Field(min_length=1, max_length=50)
    project_type_version: Version
    deployers: dict[Name, Email] = Field(
        default_factory=dict,
        description="Identity that deploys each environment, by environment.",
    )


class DeploymentWrite(ProjectWrite):
    revision: Annotated[Text, StringConstraints(max_length=64)]


class DeploymentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    environment: str
    deployer: str
    revision: str
    project_type_version: str
    deployed_at: datetime


class ProjectRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    repository: str
    environments: list[str]
    project_type_version: str
    deployers: dict[str, str]
    registered_by: str
    created_at: datetime
    updated_at: datetime
    deployments: list[DeploymentRead]

    @computed_field
    @property
    def last_deploy(self) -> DeploymentRead | None:
        """The newest deploy of any environment."""
        return max(self.deployments, key=lambda d: d.deployed_at, default=None)


def _lock_or_create(
    session: Session, name: str, body: ProjectWrite, caller: str
) -> tuple[Project, bool]:
    """Return the project, locked for this transaction, and whether it is new.

    The insert skips an existing row instead of failing, so two first deploys
    of one project at the same time both succeed, one after the other.
    """
    inserted = session.execute(
        insert(Project)
        .values(
            name=name,
            repository=body.repository,
            environments=body.environments,
            project_type_version=body.project_type_version,
            deployers=body.deployers,
            registered_by=caller,
        )
        .on_conflict_do_nothing(index_elements=[Project.name])
    )
    project = session.scalars(
        select(Project)
        .where(Project.name == name)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return project, inserted.rowcount == 1


def _owners(project: Project) -> set[str]:
    return {
        project.registered_by,
        *(project.deployers or {}).values(),
        *(deployment.deployer for deployment in project.deployments),
    }


def _may_change(project: Project, caller: str) -> bool:
    return caller in {owner.lower() for owner in _owners(project)} or is_admin(caller)


def _forbidden(caller: str, action: str) -> HTTPException:
    logger.warning("Rejected %s by %s: not an owner", action, caller)
    return HTTPException(
        status_code=status.HTTP_403_FORBIDDEN,
        detail=(
            f"{caller} may not {action}: only the identity that registered the "
            "project, one of its deployers, or a registry admin may. Ask the "
            "platform team to add you to REGISTRY_ADMINS or to release the record."
        ),
    )


def _apply(project: Project, body: ProjectWrite) -> None:
    project.repository = body.repository
    project.environments = list(dict.fromkeys(body.environments))
    project.project_type_version = body.project_type_version
    project.deployers = {env: email.lower() for env, email in body.deployers.items()}


@router.get("")
def list_projects(session: SessionDep, caller: Caller) -> list[ProjectRead]:
    """Return every project, ordered by name."""
    projects = session.scalars(select(Project).order_by(Project.name))
    return [ProjectRead.model_validate(project) for project in projects]


@router.get("/{name}")
def read_project(name: NameInPath, session: SessionDep, caller: Caller) -> ProjectRead:
    project = session.get(Project, name)
    if project is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND,
            detail=f"Project {name} is not registered.",
        )
    return ProjectRead.model_validate(project)


@router.put("/{name}")
def put_project(
    name: NameInPath,
    body: ProjectWrite,
    session: SessionDep,
    caller: Caller,
    response: Response,
) -> ProjectRead:
    """Register a project, or update it. Returns 201 when it is new."""
    project, created = _lock_or_create(session, name, body, caller)
    if created:
        response.status_code = status.HTTP_201_CREATED
    elif not _may_change(project, caller):
        raise _forbidden(caller, f"update project {name}")
    _apply(project, body)
    session.commit()
    session.refresh(project)
    logger.info("Project %s saved by %s", name, caller)
    return ProjectRead.model_validate(project)


def _may_deploy(project: Project, environment: str, caller: str) -> bool:
    """Return whether the caller may record a deploy of the environment."""
    if is_admin(caller):
        return True
    # The declared deployer comes from the repo's own declaration, so it
    # takes precedence over the identity that deployed before.
    declared = (project.deployers or {}).get(environment)
    if declared is not None:
        return declared.lower() == caller
    deployment = next(
        (d for d in project.deployments if d.environment == environment), None
    )
    if deployment is not None:
        return deployment.deployer == caller
    return _may_change(project, caller)


@router.put("/{name}/deployments/{environment}")
def put_deployment(
    name: NameInPath,
    environment: NameInPath,
    body: DeploymentWrite,
    session: SessionDep,
    caller: Caller,
    response: Response,
) -> ProjectRead:
    """Record a deploy, registering the project on its first one.

    The environment must be one of the body's environments. Returns 201 when
    the project is new.
    """
    if environment not in body.environments:
        logger.warning(
            "Rejected deploy of %s to %s by %s: not in environments %s",
            name,
            environment,
            caller,
            body.environments,
        )
        raise HTTPException(
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=(
                f"Environment {environment} is not in environments "
                f"{body.environments}. Deploy one of the listed environments."
            ),
        )
    project, created = _lock_or_create(session, name, body, caller)
    if created:
        response.status_code = status.HTTP_201_CREATED
    if not _may_deploy(project, environment, caller):
        raise _forbidden(caller, f"deploy {name} to {environment}")

    deployment = next(
        (d for d in project.deployments if d.environment == environment), None
    )
    if deployment is None:
        deployment = Deployment(environment=environment, deployer=caller)
        project.deployments.append(deployment)
    else:
        deployment.deployer = caller
    _apply(project, body)
    deployment.revision = body.revision
    deployment.project_type_version = body.project_type_version
    deployment.deployed_at = datetime.now(UTC)
    session.commit()
    session.refresh(project)
    logger.info(
        "Deploy of %s to %s at %s recorded for %s",
        name,
        environment,
        body.revision,
        caller,
    )
    return ProjectRead.model_validate(project)


@router.delete(
    "/{name}/deployments/{environment}", status_code=status.HTTP_204_NO_CONTENT
)
def release_deployment(
    name: NameInPath, environment: NameInPath, session: SessionDep, caller: Caller
) -> None:
    """Forget an environment's deploy and its deployer. Admins only."""
    if not is_admin(caller):
        raise _forbidden(caller, f"release {name} {environment}")
    deployment = session.get(Deployment, (name, environment))
    if deployment is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND,
            detail=f"Project {name} has no deploy of {environment}.",
        )
    session.delete(deployment)
    session.commit()
    logger.info("Deploy of %s to %s released by %s", name, environment, caller)
