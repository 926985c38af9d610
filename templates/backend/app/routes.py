"""Application endpoints. Items are an example to replace with your own."""

import logging
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from app.database import SessionDep
from app.models import Item

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/items", tags=["items"])


class ItemCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = None


class ItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str | None
    created_at: datetime


@router.post("", status_code=status.HTTP_201_CREATED)
def create_item(body: ItemCreate, session: SessionDep) -> ItemRead:
    item = Item(name=body.name, description=body.description)
    session.add(item)
    session.commit()
    logger.info("Created item %s", item.id)
    return ItemRead.model_validate(item)


@router.get("/{item_id}")
def read_item(item_id: int, session: SessionDep) -> ItemRead:
    item = session.get(Item, item_id)
    if item is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND,
            detail=f"Item {item_id} not found",
        )
    return ItemRead.model_validate(item)


@router.get("")
def list_items(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[ItemRead]:
    """Return the newest items first."""
    # created_at is the transaction start time, so the id breaks ties between
    # items created in one transaction.
    statement = (
        select(Item).order_by(Item.created_at.desc(), Item.id.desc()).limit(limit)
    )
    return [ItemRead.model_validate(item) for item in session.scalars(statement)]
