"""A client for any OpenAI-compatible chat-completions endpoint (llama.cpp's server,
llama-cpp-python's, Ollama, vLLM, hosted APIs), asking for an answer that follows a JSON schema.

Servers spell structured output differently; the client tries, in order, OpenAI's
``{"type": "json_schema"}``, llama-cpp-python's ``{"type": "json_object", "schema": ...}`` and plain
JSON mode, and remembers the first the server accepts. The API key is sent as a bearer token and
never appears in an error message, a log line or a brief.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from ..errors import NewsbriefError
from ..settings import Config


class EndpointError(NewsbriefError):
    """The endpoint failed, timed out or did not answer in JSON."""


def _formats(schema: dict[str, Any]) -> list[dict[str, Any] | None]:
    return [
        {"type": "json_schema", "json_schema": {"name": "brief", "schema": schema, "strict": True}},
        {"type": "json_object", "schema": schema},
        {"type": "json_object"},
        None,
    ]


class ChatEndpoint:
    def __init__(self, config: Config, client: httpx.Client | None = None) -> None:
        if not config.llm_base_url:
            raise NewsbriefError("the llm writer needs an endpoint: set NEWSBRIEF_LLM_BASE_URL "
                                 "(e.g. http://127.0.0.1:8080/v1) and NEWSBRIEF_LLM_MODEL")
        self.config = config
        self.url = config.llm_base_url.rstrip("/") + "/chat/completions"
        headers = {"Authorization": f"Bearer {config.llm_api_key}"} if config.llm_api_key else {}
        self._client = client or httpx.Client(timeout=httpx.Timeout(config.llm_timeout, connect=10.0), headers=headers)
        self._format_index = 0

    def close(self) -> None:
        self._client.close()

    def ask(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> tuple[dict[str, Any], str]:
        """The model's answer parsed as JSON, and the model name the server reports."""
        formats = _formats(schema)
        while True:
            body: dict[str, Any] = {"model": self.config.llm_model or "default", "messages": messages,
                                    "temperature": self.config.llm_temperature,
                                    "max_tokens": self.config.llm_max_tokens}
            if formats[self._format_index] is not None:
                body["response_format"] = formats[self._format_index]
            try:
                response = self._client.post(self.url, json=body)
            except httpx.TimeoutException:
                raise EndpointError(f"the endpoint did not answer within {self.config.llm_timeout:g} s (llm_timeout)") from None
            except httpx.HTTPError as exc:
                raise EndpointError(f"could not reach the endpoint {self.url}: {exc.__class__.__name__}") from None
            refused = response.status_code in (400, 422) or (
                response.status_code == 500 and "response_format" in response.text)  # llama-cpp-python says 500
            if refused and self._format_index < len(formats) - 1:
                self._format_index += 1  # this server does not take that structured-output spelling
                continue
            if response.status_code >= 400:
                message = _message(response)
                if self.config.llm_api_key:
                    message = message.replace(self.config.llm_api_key, "[api key]")
                raise EndpointError(f"the endpoint answered HTTP {response.status_code}: {message}")
            return _content(response), str(_json(response).get("model") or self.config.llm_model)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        raise EndpointError("the endpoint's reply is not JSON") from None
    if not isinstance(data, dict):
        raise EndpointError("the endpoint's reply is not a JSON object")
    return data


def _content(response: httpx.Response) -> dict[str, Any]:
    data = _json(response)
    try:
        content = data["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise EndpointError("the endpoint's reply has no choices[0].message.content") from None
    if data["choices"][0].get("finish_reason") == "length":
        raise EndpointError("the model ran out of tokens before finishing its answer (llm_max_tokens)")
    text = str(content or "").strip()
    if text.startswith("```"):
        text = text.strip("`").removeprefix("json").strip()
    try:
        answer = json.loads(text, strict=False)  # small models put raw newlines inside strings
    except json.JSONDecodeError as exc:
        raise EndpointError(f"the model's answer is not valid JSON ({exc.msg} at character {exc.pos})") from None
    if not isinstance(answer, dict):
        raise EndpointError("the model's answer is not a JSON object")
    return answer


def _message(response: httpx.Response) -> str:
    try:
        data = response.json()
        error = data.get("error", data) if isinstance(data, dict) else data
        text = error.get("message", "") if isinstance(error, dict) else str(error)
    except ValueError:
        text = response.text
    return " ".join(str(text).split())[:200] or response.reason_phrase
