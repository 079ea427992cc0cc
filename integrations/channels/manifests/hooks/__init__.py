"""Named Python hooks for what a manifest cannot say, and how a manifest names one (``module:function``).

A hook lives under ``integrations.channels`` (the channel's own package, or here while the channel's package
belongs to a hand-written module), so it follows the channel rules: canonical types, the contract and the SDK,
never the ORM. The manifest still says everything else about the operation's channel.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import Any

ALLOWED_PREFIX = "integrations.channels."


class HookNotFound(LookupError):
    pass


@cache
def load_hook(name: str) -> Callable[..., Any]:
    """The function ``name`` (``integrations.channels.<pkg>.<module>:<function>``) names."""
    module_name, _, function_name = name.partition(":")
    if not module_name.startswith(ALLOWED_PREFIX) or not function_name:
        raise HookNotFound(f"{name!r}: a hook is 'integrations.channels.<package>.<module>:<function>'")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise HookNotFound(f"{name!r}: cannot import {module_name} ({exc})") from None
    function = getattr(module, function_name, None)
    if not callable(function):
        raise HookNotFound(f"{name!r}: {module_name} has no function {function_name}")
    return function
