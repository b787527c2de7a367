"""Notification service: tells users when their uploads, analyses and
reports are ready."""

from __future__ import annotations

import logging
from typing import Any

from backend.bases.realm_service_base import RealmServiceBase

logger = logging.getLogger(__name__)


class NotificationService(RealmServiceBase):
    service_name = "notification_service"

    async def initialize(self) -> bool:
        self.file_storage = self.get_abstraction("file_management")
        # Quick path for "your report is ready" toasts while the SDK lacks
        # per-user delivery.
        self.websocket = self.get_abstraction("websocket")
        self.post_office = self.di_container.get_service("PostOfficeService")
        return True

    async def notify_report_ready(self, user_id: str, report_id: str) -> None:
        link = await self.file_storage.signed_url(f"reports/{report_id}.pdf")
        await self.websocket.send_to_user(
            user_id, {"type": "report.ready", "report_id": report_id, "url": link}
        )

    async def announce_maintenance(self, starts_at: str, minutes: int) -> None:
        notice: dict[str, Any] = {"type": "maintenance", "starts_at": starts_at, "minutes": minutes}
        await self.post_office.publish_to_agent_channel("guide", notice)
        logger.info("maintenance notice published for %s", starts_at)
