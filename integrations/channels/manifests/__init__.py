"""Declarative channels: a YAML manifest, validated by a JSON Schema and the kit, run by one runtime.

``load_manifest(path)`` reads ``integrations/channels/<slug>/manifest.yaml`` (or any manifest file), checks it
(``validate.problems``: the schema with line numbers, then the meaning: JMESPath that compiles, canonical
fields and statuses that exist, a sound HMAC recipe, hooks that import) and returns a ``ChannelModule``
subclass, or raises ``ManifestInvalid`` listing every problem with its line. docs/manifests.md is the reference.
This package has no ``module.py``: it is the runtime, not a channel.
"""

from __future__ import annotations

from .loading import ManifestInvalid, Problem, load_manifest, manifest_problems

__all__ = ["ManifestInvalid", "Problem", "load_manifest", "manifest_problems"]
