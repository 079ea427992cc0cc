"""The embedded broker (``filesystem://``): kombu's file-system transport, with messages written atomically.

kombu writes a message file in place (create, then write), and a consumer
lists the folder and moves any ``*.msg`` file it finds: one caught between the
create and the write is read empty, and the worker stops with "Unrecoverable
error: JSONDecodeError" (the small chaos test hit it). Here a message is
written under a name no consumer matches, then renamed into place, which is
atomic on one file system. Registered for the ``filesystem`` scheme by
``sinqro_platform.celery``.

Redis (``redis://``, ``rediss://``): kombu's transport, with the two faults that
made a worker holding messages exit when its Redis went away (README "Running in
production", "Broker restarts"; tests/broker/test_broker_restart.py):

1. kombu 5.7.0 ``redis.Channel.close`` first reads the BRPOP that is in flight
   (``if self._in_poll: self._brpop_read()``); on a dead server that raises a
   ConnectionError before the channel is closed, so the unacknowledged messages
   are not restored. ``Connection.collect`` swallows it and then drops the
   transport's client (``_do_close_transport``: ``transport.client = None``);
   Celery's following ``connection.close()`` closes the channel again, now
   restoring, and ``_connparams`` reads ``self.connection.client.hostname`` on
   None: AttributeError, which is no connection error, so the worker stops
   ("Unrecoverable error"). Only a worker holding messages (countdowns,
   retries, lane waits) reaches the restore; one holding nothing reconnects.
   Here a BRPOP that fails on close is taken as dead and the close goes on.
2. The restore itself needs the server: kombu reads each message back from the
   ``unacked`` hash in Redis and raises when it cannot, and Celery drops its own
   copies of the countdown tasks on a connection loss, expecting the broker to
   deliver them again. A Redis restarted without its data (no persistence) has
   no ``unacked`` hash: the tasks were lost; a persistent one gave them back only
   after the visibility timeout (1 h). Here the messages that could not be put
   back are kept in this process (``HELD``) and put back by the next channel
   that starts consuming: from the ``unacked`` hash if the server still has them
   (kombu's own restore), else from our copy if the server is another one (its
   ``run_id`` changed: it lost its data), else not at all (the same server no
   longer has them: another consumer restored them after the visibility
   timeout, and they must not run twice).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import uuid
from dataclasses import dataclass
from queue import Empty
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem, redis
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

log = logging.getLogger(__name__)


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


# --- Redis ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HeldMessage:
    """An unacknowledged message a closing channel could not give back to its server."""

    tag: str
    payload: dict
    exchange: str
    routing_key: str
    queue: str | None  # the queue it was consumed from
    server_run_id: str | None  # the Redis server that delivered it

    @property
    def task_id(self) -> str | None:
        return (self.payload.get("headers") or {}).get("id")


class HeldMessages:
    """The messages of this process waiting for their server to come back (one list per process)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[HeldMessage] = []

    def keep(self, messages: list[HeldMessage]) -> None:
        with self._lock:
            self._messages[:0] = messages  # the oldest first, ahead of any kept later

    def take(self) -> list[HeldMessage]:
        with self._lock:
            messages, self._messages = self._messages, []
        return messages

    def __len__(self) -> int:
        return len(self._messages)


HELD = HeldMessages()


class SurvivingQoS(redis.QoS):
    def append(self, message, delivery_tag):
        self.channel._run_id()  # once per channel: which server delivered what this channel holds
        super().append(message, delivery_tag)

    def restore_unacked(self, client=None):
        delivered = list(self._delivered.items())
        self._delivered.clear()
        channel = self.channel
        for n, (tag, _message) in enumerate(delivered):
            if channel.connection is None or channel.connection.client is None:
                self._hold(delivered[n:])  # the transport is gone: nothing reaches the server from here
                return
            try:
                self.restore_by_tag(tag, client=client)
            except channel.connection_errors:
                self._hold(delivered[n:])
                return

    def _hold(self, delivered: list) -> None:
        held = [self.channel._held_message(tag, message) for tag, message in delivered]
        HELD.keep(held)
        log.warning(
            "the broker is unreachable: %d unacknowledged message(s) kept in this process, put back when it "
            "returns (lost if this process ends first): tasks %s",
            len(held), ", ".join(str(m.task_id) for m in held),
        )


class SurvivingChannel(redis.Channel):
    QoS = SurvivingQoS
    _server_run_id: str | None = None

    def close(self):
        if self._in_poll:
            self._closing = True
            # The BRPOP in flight: on a dead server its read raises, which left kombu's close half done.
            with contextlib.suppress(Empty, *self.connection_errors):
                self._brpop_read()  # clears _in_poll in any case
        super().close()

    def basic_consume(self, queue, no_ack, callback, consumer_tag, **kwargs):
        def tagged(message):
            message._sinqro_queue = queue  # where to put it back if the server comes back without it
            return callback(message)

        result = super().basic_consume(queue, no_ack, tagged, consumer_tag, **kwargs)
        if len(HELD):
            self._put_back_held()
        return result

    def _run_id(self) -> str | None:
        if self._server_run_id is None:
            # A pooled client, as kombu's QoS uses: ``self.client``'s connection may be the BRPOP's.
            with contextlib.suppress(Exception), self.conn_or_acquire() as client:
                self._server_run_id = client.info("server").get("run_id")
        return self._server_run_id

    def _held_message(self, tag: str, message: Any) -> HeldMessage:
        info = message.delivery_info or {}
        return HeldMessage(
            tag=tag,
            payload=message._raw,
            exchange=info.get("exchange") or "",
            routing_key=info.get("routing_key") or "",
            queue=getattr(message, "_sinqro_queue", None),
            server_run_id=self._server_run_id,
        )

    def _put_back_held(self) -> None:
        messages = HELD.take()
        run_id = self._run_id()
        for n, held in enumerate(messages):
            try:
                self._put_back(held, run_id)
            except self.connection_errors:
                HELD.keep(messages[n:])
                return
        log.warning("the broker is back: %d kept message(s) put back", len(messages))

    def _put_back(self, held: HeldMessage, run_id: str | None) -> None:
        qos = self.qos

        def transaction(pipe):
            stored = pipe.hget(qos.unacked_key, held.tag)
            pipe.multi()
            qos._remove_from_indices(held.tag, pipe)
            if stored:  # the server kept it: kombu's own restore
                payload, exchange, routing_key = loads(bytes_to_str(stored))
                self._do_restore_message(payload, exchange, routing_key, pipe)
            elif run_id is None or run_id != held.server_run_id:  # another server, without it: our copy
                if held.queue:
                    self._push_to_queue(held.payload, held.queue, pipe)
                else:
                    self._do_restore_message(held.payload, held.exchange, held.routing_key, pipe)
            # else: the same server no longer holds it, so another consumer restored it (visibility timeout)

        with self.conn_or_acquire() as client:
            client.transaction(transaction, qos.unacked_key)

    def _push_to_queue(self, payload: dict, queue: str, pipe: Any) -> None:
        with contextlib.suppress(KeyError):
            payload["headers"]["redelivered"] = True
            payload["properties"]["delivery_info"]["redelivered"] = True
        priority = self._get_message_priority(payload, reverse=False)
        pipe.rpush(self._q_for_pri(queue, priority), dumps(payload))  # BRPOP takes from the right: next


class SurvivingRedisTransport(redis.Transport):
    Channel = SurvivingChannel
