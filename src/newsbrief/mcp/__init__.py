"""`newsbrief mcp`: the database served to AI agents over the Model Context Protocol.

(A package inside newsbrief: ``import mcp`` in its modules is the SDK, imports are absolute.)
"""

from .server import build_server, parse_address, run_server

__all__ = ["build_server", "parse_address", "run_server"]
