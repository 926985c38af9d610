"""Registry API: client projects and the last deploy of each environment.

Every route needs a verified identity token. Who may change a record:
the identity that registered the project, an identity that has deployed one
of its environments, or an admin (REGISTRY_ADMINS). The first identity that
deploys an environment owns that environment, so one client's build cannot
overwrite another client's deploys; an admin can release an environment.
"""

import logging
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Response, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, computed_field
from sqlalchemy import select
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


class ProjectWrite(BaseModel):
    repository: str = Field(min_length=1, max_length=500)
    environments: list[Name] = Field(min_length=1, max_length=50)
    project_type_version: Version


class DeploymentWrite(ProjectWrite):
    revision: str = Field(min_length=1, max_length=64)


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
    registered_by: str
    created_at: datetime
    updated_at: datetime
    deployments: list[DeploymentRead]

    @computed_field
    @property
    def last_deploy(self) -> DeploymentRead | None:
        """The newest deploy of any environment."""
        return max(self.deployments, key=lambda d: d.deployed_at, default=None)


def _get_project(session: Session, name: str) -> Project | None:
    # Locks the row, so two deploys of one project apply one after the other.
    return session.scalars(
        select(Project).where(Project.name == name).with_for_update()
    ).one_or_none()


def _may_change(project: Project, caller: str) -> bool:
    return (
        caller == project.registered_by
        or any(d.deployer == caller for d in project.deployments)
        or is_admin(caller)
    )


def _forbidden(caller: str, action: str) -> HTTPException:
    logger.warning("Rejected %s by %s: not an owner", action, caller)
    return HTTPException(
        status_code=status.HTTP_403_FORBIDDEN,
        detail=(
            f"{caller} may not {action}: only the identity that registered the "
            "project, one that deployed it, or a registry admin may. Ask the "
            "platform team to add you to REGISTRY_ADMINS or to release the record."
        ),
    )


def _apply(project: Project, body: ProjectWrite) -> None:
    project.repository = body.repository
    project.environments = list(dict.fromkeys(body.environments))
    project.project_type_version = body.project_type_version


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
    project = _get_project(session, name)
    if project is None:
        project = Project(name=name, registered_by=caller)
        session.add(project)
        response.status_code = status.HTTP_201_CREATED
    elif not _may_change(project, caller):
        raise _forbidden(caller, f"update project {name}")
    _apply(project, body)
    session.commit()
    session.refresh(project)
    logger.info("Project %s saved by %s", name, caller)
    return ProjectRead.model_validate(project)


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
        raise HTTPException(
            status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
            detail=(
                f"Environment {environment} is not in environments "
                f"{body.environments}. Deploy one of the listed environments."
            ),
        )
    project = _get_project(session, name)
    if project is None:
        project = Project(name=name, registered_by=caller)
        session.add(project)
        response.status_code = status.HTTP_201_CREATED
    deployment = next(
        (d for d in project.deployments if d.environment == environment), None
    )
    if deployment is None:
        # A new identity may claim an environment the project already lists,
        # such as the prod build account after the staging one, but not add
        # environments to another's project or move its repository.
        if not _may_change(project, caller) and not (
            environment in project.environments
            and body.repository == project.repository
        ):
            raise _forbidden(caller, f"deploy {name} to {environment}")
        deployment = Deployment(environment=environment, deployer=caller)
        project.deployments.append(deployment)
    elif deployment.deployer != caller and not is_admin(caller):
        raise _forbidden(caller, f"deploy {name} to {environment}")

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
    """Forget an environment's deploy and its owner. Admins only."""
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
