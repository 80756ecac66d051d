"""The one error the web layer raises on purpose; every JSON error is rendered from it as
``{"error": {"status": ..., "message": ..., "path": ...}}``."""


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
