"""ManifestError: a refused manifest, with what the API server would answer (a Status)."""

from ..errors import ActionError


class ManifestError(ActionError):
    """message: kubectl's/the API server's text; code: HTTP status; reason: the Status reason
    (Invalid, NotFound, AlreadyExists, BadRequest, Conflict, MethodNotAllowed); details: the
    Status details ({"name", "group", "kind", "causes": [...]}) or None."""

    def __init__(self, message: str, code: int = 422, reason: str = "Invalid", details=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.reason = reason
        self.details = details

    def status(self) -> dict:
        """The meta/v1 Status body the API returns for this error."""
        body = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        }
        if self.details:
            body["details"] = self.details
        return body


def not_found(entry: dict, name: str) -> ManifestError:
    from .kinds import qualified_plural

    return ManifestError(
        f'{qualified_plural(entry)} "{name}" not found',
        404,
        "NotFound",
        {"name": name, "group": entry["group"], "kind": entry["plural"]},
    )
