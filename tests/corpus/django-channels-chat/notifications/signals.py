"""Tell everyone watching notifications that a new chat message arrived."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db.models.signals import post_save
from django.dispatch import receiver

from chat.models import Message


@receiver(post_save, sender=Message)
def announce_new_message(sender, instance, created, **kwargs):
    if not created:
        return
    channel_layer = get_channel_layer()
    async_to_sync(channel_layer.group_send)(
        "notifications",
        {
            "type": "notify",
            "payload": {"kind": "chat.message", "room": instance.room.name, "id": instance.pk},
        },
    )
