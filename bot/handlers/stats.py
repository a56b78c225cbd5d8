"""/stats for admins: who uses courtbot and what its requests are doing, read through the services.

Not in the public command menu; anyone else is told politely that it is for admins.
"""

from __future__ import annotations

from telegram import Update

from booking.models import Access
from bot import texts
from bot.handlers.common import Context, reply, services, user_id


async def show(update: Update, context: Context) -> None:
    svc = services(context)
    if not svc.members.is_admin(user_id(update)):
        await reply(update, texts.ADMINS_ONLY)
        return
    storage = svc.booking.storage
    allowed = await storage.members.list(Access.ALLOWED)
    pending = await svc.members.pending()
    active_series = await storage.series.active()
    await reply(
        update,
        texts.stats(
            len(allowed),
            len(pending),
            await svc.booking.stats(),
            svc.booking.scheduled_count,
            len(active_series),
        ),
    )
