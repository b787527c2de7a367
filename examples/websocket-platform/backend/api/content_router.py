"""HTTP routes of the content pillar."""

from fastapi import APIRouter, Request

router = APIRouter(prefix="/api/content")


@router.get("/items/{item_id}")
async def get_item(item_id: str, request: Request) -> dict:
    content = request.app.state.post_office.services.content
    return await content.get_item(item_id)


@router.post("/items/{item_id}/publish")
async def publish_item(item_id: str, request: Request) -> dict:
    content = request.app.state.post_office.services.content
    await content.publish(item_id)
    return {"published": item_id}
