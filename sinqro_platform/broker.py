"""The embedded broker (``filesystem://``): kombu's file-system transport, with messages written atomically.

kombu writes a message file in place (create, then write), and a consumer
lists the folder and moves any ``*.msg`` file it finds: one caught between the
create and the write is read empty, and the worker stops with "Unrecoverable
error: JSONDecodeError" (the small chaos test hit it). Here a message is
written under a name no consumer matches, then renamed into place, which is
atomic on one file system. Registered for the ``filesystem`` scheme by
``sinqro_platform.celery``; Redis and RabbitMQ are untouched.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class AtomicChannel(filesystem.Channel):
    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = final + ".partial"  # "<id>.<queue>.msg.partial": not a message for any queue
        try:
            with open(partial, "wb", buffering=0) as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class AtomicFilesystemTransport(filesystem.Transport):
    Channel = AtomicChannel
