"""The web app and HTTP API (`newsbrief serve`)."""

from .app import create_app

__all__ = ["create_app"]
