"""sinqro_platform.broker's Redis transport against a real Redis server: a close on a dead server holds what
was unacknowledged, and a held message goes back once, from wherever it still is.

kombu directly (Connection, Producer, Consumer), as Celery's worker uses it, on a redis-server of the test's
own; the server is SIGKILLed for real.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Iterator

import pytest
import redis
from kombu import Connection, Consumer, Exchange, Producer, Queue

import sinqro_platform.celery  # noqa: F401  (registers the transport for redis://)
from sinqro_platform.broker import HELD, SurvivingRedisTransport
from tests.broker.redis_server import RedisServer, free_port

QUEUE = Queue("held-test", routing_key="held-test")


@pytest.fixture
def server() -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    HELD.take()
    server = RedisServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.kill()
        HELD.take()


def publish(url: str, body: dict) -> None:
    with Connection(url) as connection:
        Producer(connection).publish(body, routing_key=QUEUE.routing_key, declare=[QUEUE], serializer="json",
                                     headers={"id": f"task-{body['n']}"})  # as Celery's task messages carry


def receive_unacked(connection: Connection) -> list:
    """Consume like a worker holding a countdown task: received, not acknowledged."""
    received: list = []
    consumer = Consumer(connection, [QUEUE], callbacks=[lambda body, message: received.append(message)])
    consumer.consume()
    connection.drain_events(timeout=2)
    return received


def queued(server: RedisServer) -> list[bytes]:
    return redis.Redis(port=server.port).lrange(QUEUE.name, 0, -1)


def unacked(server: RedisServer) -> dict:
    return redis.Redis(port=server.port).hgetall("unacked")


def consume_again(url: str) -> Connection:
    """A new connection that starts consuming: where held messages are put back."""
    connection = Connection(url)
    Consumer(connection, [QUEUE], callbacks=[]).consume()
    return connection


def test_redis_urls_use_the_surviving_transport(server):
    with Connection(server.url) as connection:
        assert isinstance(connection.transport, SurvivingRedisTransport)


def test_closing_on_a_dead_server_with_a_brpop_in_flight_holds_the_messages_instead_of_failing(server):
    publish(server.url, {"n": 1})
    connection = Connection(server.url)
    [message] = receive_unacked(connection)
    # Celery's remote-control channel (pidbox): a fanout queue deleted on close, which fails on a dead server
    # and stops kombu closing the other channels (Transport.close_connection) before the transport drops its client.
    control = Queue("control-test", Exchange("control-test", type="fanout"), auto_delete=True)
    Consumer(connection.channel(), [control], callbacks=[]).consume()
    with contextlib.suppress(Exception):
        connection.drain_events(timeout=0.2)  # the next BRPOP is now in flight, as in the worker's loop
    server.kill()

    # What Celery's consumer does on a connection loss (consumer.on_connection_error_after_connected):
    # collect, then close. kombu 5.7.0 raised AttributeError('...hostname') out of the close.
    connection.collect(socket_timeout=2)
    connection.close()

    [held] = HELD.take()
    assert held.payload == message._raw and held.queue == QUEUE.name and held.server_run_id


def test_a_held_message_the_server_kept_goes_back_once_from_the_server(server):
    publish(server.url, {"n": 1})
    with Connection(server.url) as connection:
        [message] = receive_unacked(connection)
        channel = connection.default_channel
        channel.qos._hold([(message.delivery_tag, message)])  # as when the server could not be reached
        channel.qos._delivered.clear()
    assert len(unacked(server)) == 1  # the server kept its copy (a blip, or an append-only file)

    with consume_again(server.url):
        assert len(queued(server)) == 1  # once: the server's copy, not ours as well
        assert unacked(server) == {}
    assert len(HELD) == 0


def test_a_held_message_the_same_server_already_gave_back_is_not_put_back_again(server):
    publish(server.url, {"n": 1})
    with Connection(server.url) as connection:
        [message] = receive_unacked(connection)
        channel = connection.default_channel
        channel.qos._hold([(message.delivery_tag, message)])
        channel.qos.restore_by_tag(message.delivery_tag)  # another consumer, after the visibility timeout
        channel.qos._delivered.clear()
    assert len(queued(server)) == 1

    with consume_again(server.url):
        assert len(queued(server)) == 1  # not twice
    assert len(HELD) == 0


def test_a_held_message_goes_back_from_our_copy_when_the_server_came_back_empty(server):
    publish(server.url, {"n": 1})
    connection = Connection(server.url)
    [message] = receive_unacked(connection)
    server.kill()
    connection.collect(socket_timeout=2)
    connection.close()
    assert len(HELD) == 1

    server.start()  # same port, another run: no queue, no unacked hash
    assert queued(server) == []
    with consume_again(server.url):
        [stored] = queued(server)
    payload = json.loads(stored)
    assert payload["body"] == message._raw["body"] and payload["headers"]["id"] == "task-1"
    assert payload["headers"]["redelivered"] is True and payload["properties"]["delivery_info"]["redelivered"] is True
    assert len(HELD) == 0


def test_held_messages_wait_while_the_server_is_still_down(server):
    publish(server.url, {"n": 1})
    connection = Connection(server.url)
    receive_unacked(connection)
    server.kill()
    connection.collect(socket_timeout=2)
    connection.close()

    with pytest.raises(Exception):  # still down: no consumer starts, nothing is put back
        Connection(server.url, connect_timeout=1).default_channel  # noqa: B018
    assert len(HELD) == 1
