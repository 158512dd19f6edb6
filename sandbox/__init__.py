"""An offline, deterministic marketing world and the platform APIs that serve it (see docs/interfaces.md)."""

from sandbox.harness import Sandbox

__all__ = ["Sandbox"]
