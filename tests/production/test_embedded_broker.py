"""The embedded file-system broker never hands a consumer a message that is still being written."""

from __future__ import annotations

from queue import Empty

import pytest
from kombu import Connection
from kombu.utils.json import loads

import sinqro_platform.celery  # noqa: F401  (registers the atomic transport for filesystem://)
from sinqro_platform.broker import AtomicFilesystemTransport


@pytest.fixture
def channel(tmp_path):
    folder = str(tmp_path)
    options = {"data_folder_in": folder, "data_folder_out": folder, "control_folder": folder}
    with Connection("filesystem://", transport_options=options) as connection:
        yield connection.default_channel


def test_filesystem_urls_use_the_atomic_transport(channel):
    assert isinstance(channel.connection, AtomicFilesystemTransport)


def test_a_message_is_complete_when_it_appears_and_leaves_no_partial_file(channel, tmp_path):
    channel._put("inbound", {"body": "x" * 100_000})

    [name] = [path.name for path in tmp_path.iterdir()]
    assert name.endswith(".inbound.msg")
    assert loads((tmp_path / name).read_text())["body"] == "x" * 100_000
    assert channel._get("inbound")["body"] == "x" * 100_000


def test_a_message_still_being_written_is_not_consumed(channel, tmp_path):
    # What a reader can see mid-write: the partial file (kombu's own transport exposed an empty .msg).
    (tmp_path / "1_abc.inbound.msg.partial").write_bytes(b"")

    with pytest.raises(Empty):
        channel._get("inbound")
