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
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Annotated, Any, Self

from fastapi import APIRouter, HTTPException, Path, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    computed_field,
    model_validator,
)
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.auth import Caller, get_auth_settings, is_admin
from app.database import SessionDep
from app.models import Deployment, Project

logger = logging.getLogger(__name__)


def _printable(part: object) -> object:
    """Return a location part that JSON can encode, even with a lone surrogate."""
    if isinstance(part, int):
        return part
    return str(part).encode("utf-8", "backslashreplace").decode("utf-8")


class ValidationErrorRoute(APIRoute):
    """A route whose 422 names each invalid field without echoing its value.

    FastAPI's own 422 repeats the input, which fails to encode when the input
    contains a lone surrogate and would put whatever a client sent into responses.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as error:
                details = [
                    {
                        "loc": [_printable(part) for part in item["loc"]],
                        "msg": item["msg"],
                        "type": item["type"],
                    }
                    for item in error.errors()
                ]
                logger.warning(
                    "Rejected %s %s: %d invalid fields",
                    request.method,
                    request.url.path,
                    len(details),
                )
                return JSONResponse(
                    status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
                    content={"detail": details},
                )

        return route


router = APIRouter(
    prefix="/projects", tags=["projects"], route_class=ValidationErrorRoute
)

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
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f-\x9f]+$")]
_EMAIL_PART = r"[^\s@\x00-\x1f\x7f-\x9f]+"
Email = Annotated[
    str,
    StringConstraints(
        pattern=rf"^{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART}$", max_length=254
    ),
]


class ProjectWrite(BaseModel):
    repository: Annotated[Text, StringConstraints(max_length=500)]
    environments: list[Name] = Field(min_length=1, max_length=50)
    project_type_version: Version
    deployers: dict[Name, Email] = Field(
        default_factory=dict,
        max_length=50,
        description="Identity that deploys each environment, by environment.",
    )

    @model_validator(mode="after")
    def _check_deployers(self) -> Self:
        unknown = sorted(set(self.deployers) - set(self.environments))
        if unknown:
            raise ValueError(
                f"deployers names environments {unknown} that environments does "
                "not list. Declare deployers only for listed environments."
            )
        return self


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


def _protected_changes(project: Project, body: ProjectWrite) -> list[str]:
    """Return the changes to an existing project that only an admin may make.

    A deployer may add the deployer of an environment that has none, but not
    replace one, and only an admin moves the repository. Otherwise the
    staging build could take over prod.
    """
    changes = []
    if body.repository != project.repository:
        changes.append(f"repository {project.repository!r} -> {body.repository!r}")
    for environment, email in (project.deployers or {}).items():
        requested = body.deployers.get(environment, email).lower()
        if requested != email.lower():
            changes.append(f"deployer of {environment} {email} -> {requested}")
    return changes


def _apply(project: Project, body: ProjectWrite) -> None:
    project.repository = body.repository
    project.environments = list(dict.fromkeys(body.environments))
    project.project_type_version = body.project_type_version
    requested = {env: email.lower() for env, email in body.deployers.items()}
    # Declared deployers stay unless the body replaces them (checked before).
    project.deployers = {**(project.deployers or {}), **requested}


def _check_protected(project: Project, body: ProjectWrite, caller: str) -> None:
    changes = _protected_changes(project, body)
    if changes and not is_admin(caller):
        logger.warning(
            "Rejected changes to %s by %s: %s", project.name, caller, changes
        )
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN,
            detail=(
                f"Only a registry admin may change {'; '.join(changes)} of "
                f"project {project.name}. Ask the platform team."
            ),
        )


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
    else:
        _check_protected(project, body, caller)
    _apply(project, body)
    session.commit()
    session.refresh(project)
    logger.info("Project %s saved by %s", name, caller)
    return ProjectRead.model_validate(project)


def _deployment_of(project: Project, environment: str) -> Deployment | None:
    return next((d for d in project.deployments if d.environment == environment), None)


def _may_deploy(project: Project, environment: str, caller: str) -> bool:
    """Return whether the caller may record a deploy of the environment."""
    if is_admin(caller):
        return True
    # The declared deployer comes from the repo's own declaration, so it
    # takes precedence over the identity that deployed before.
    declared = (project.deployers or {}).get(environment)
    if declared is not None:
        return declared.lower() == caller
    deployment = _deployment_of(project, environment)
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
    if not created:
        _check_protected(project, body, caller)

    deployment = _deployment_of(project, environment)
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
    # Takes the lock a deploy of the project takes, so the two never interleave.
    session.scalars(
        select(Project).where(Project.name == name).with_for_update()
    ).one_or_none()
    deployment = session.get(Deployment, (name, environment))
    if deployment is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND,
            detail=f"Project {name} has no deploy of {environment}.",
        )
    session.delete(deployment)
    session.commit()
    logger.info("Deploy of %s to %s released by %s", name, environment, caller)


@router.delete("/{name}", status_code=status.HTTP_204_NO_CONTENT)
def delete_project(name: NameInPath, session: SessionDep, caller: Caller) -> None:
    """Forget a project and its deploys, such as one registered under a wrong name.

    Admins only.
    """
    if not is_admin(caller):
        raise _forbidden(caller, f"delete project {name}")
    project = session.scalars(
        select(Project).where(Project.name == name).with_for_update()
    ).one_or_none()
    if project is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND,
            detail=f"Project {name} is not registered.",
        )
    session.delete(project)
    session.commit()
    logger.info("Project %s deleted by %s", name, caller)
