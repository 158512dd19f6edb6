"""The answer shape of ByteDance's ad APIs (TikTok Marketing API, Ocean Engine Open API): every answer, errors
included, is ``{"code", "message", "request_id", "data"}``, with code 0 for success and usually HTTP 200."""

from __future__ import annotations

from typing import Any

from sandbox.http_base import ApiResponse, json_response


class Refusal(Exception):
    """A request the API answers with an error code in the envelope."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def code_envelope(code: int, message: str, request_id: str, data: Any = None, status: int = 200) -> ApiResponse:
    body = {"code": code, "message": message, "request_id": request_id, "data": {} if data is None else data}
    return json_response(status, body)
