"""One table of settings: name, default, environment variable and help.

CLI options, environment variables and the README's settings list are all made from ``SETTINGS``,
so that a setting cannot exist in one place and be missing from another.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "NEWSBRIEF_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("connect_timeout", 5.0, "Seconds to wait for a TCP/TLS connection."),
    Setting("read_timeout", 15.0, "Seconds to wait for data from a server before giving up."),
    Setting("max_bytes", 5_000_000, "Largest page or feed accepted, in bytes."),
    Setting("max_redirects", 5, "Most redirects followed for one URL."),
    Setting("per_host", 2, "Most requests in flight to one host at a time."),
    Setting("concurrency", 8, "Most requests in flight in all."),
    Setting("allow_private", False, "Fetch from private, loopback and link-local addresses."),
    Setting(
        "user_agent",
        "newsbrief/0.1 (+https://github.com/newsbrief/newsbrief; self-hosted news reader)",
        "User-Agent header sent with every request.",
    ),
    Setting("contact", "", "An e-mail address or URL added to the User-Agent so publishers can reach you."),
    Setting("max_words", 330, "Target length of a brief's lede and sections, in words."),
    Setting("workers", min(4, os.cpu_count() or 1), "Processes that extract articles in parallel."),
    Setting("writer", "extractive", "Brief writer: extractive (offline, default) or llm (an OpenAI-compatible endpoint)."),
    Setting("llm_base_url", "", "Base URL of an OpenAI-compatible API for the llm writer, e.g. http://127.0.0.1:8080/v1."),
    Setting("llm_model", "", "Model name sent to the endpoint (what the server calls it)."),
    Setting("llm_api_key", "", "API key for the endpoint, sent as a bearer token; never logged or stored."),
    Setting("llm_timeout", 120.0, "Seconds to wait for the endpoint's answer before falling back to the extractive writer."),
    Setting("llm_temperature", 0.0, "Sampling temperature for the llm writer."),
    Setting("llm_max_tokens", 1500, "Most tokens the llm writer may generate for one brief."),
    Setting("webhooks", "", "Webhook URLs (comma-separated) that receive the alerts of watchlists "
                            "without their own --webhook."),
    Setting("webhook_secret", "", "Key of the HMAC-SHA256 signature sent with each alert (X-Newsbrief-Signature); "
                                  "without it alerts go unsigned. Never logged or stored."),
    Setting("webhook_timeout", 5.0, "Seconds to wait for a webhook receiver before the alert is retried later."),
    Setting("base_url", "", "Public address of `newsbrief serve` (e.g. https://news.example.org), "
                            "for links in alerts."),
)


def _coerce(value: str, default: Any) -> Any:
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


_DEFAULTS: dict[str, Any] = {s.name: s.default for s in SETTINGS}


@dataclass(frozen=True)
class Config:
    """Resolved settings. Precedence: explicit argument, then environment, then default."""

    connect_timeout: float = _DEFAULTS["connect_timeout"]
    read_timeout: float = _DEFAULTS["read_timeout"]
    max_bytes: int = _DEFAULTS["max_bytes"]
    max_redirects: int = _DEFAULTS["max_redirects"]
    per_host: int = _DEFAULTS["per_host"]
    concurrency: int = _DEFAULTS["concurrency"]
    allow_private: bool = _DEFAULTS["allow_private"]
    user_agent: str = _DEFAULTS["user_agent"]
    contact: str = _DEFAULTS["contact"]
    max_words: int = _DEFAULTS["max_words"]
    workers: int = _DEFAULTS["workers"]
    writer: str = _DEFAULTS["writer"]
    llm_base_url: str = _DEFAULTS["llm_base_url"]
    llm_model: str = _DEFAULTS["llm_model"]
    llm_api_key: str = field(default=_DEFAULTS["llm_api_key"], repr=False)  # kept out of reprs and logs
    llm_timeout: float = _DEFAULTS["llm_timeout"]
    llm_temperature: float = _DEFAULTS["llm_temperature"]
    llm_max_tokens: int = _DEFAULTS["llm_max_tokens"]
    webhooks: str = _DEFAULTS["webhooks"]
    webhook_secret: str = field(default=_DEFAULTS["webhook_secret"], repr=False)  # kept out of reprs and logs
    webhook_timeout: float = _DEFAULTS["webhook_timeout"]
    base_url: str = _DEFAULTS["base_url"]

    @property
    def agent(self) -> str:
        """The User-Agent sent: ``user_agent`` with the contact, when one is set."""
        if not self.contact or self.contact in self.user_agent:
            return self.user_agent
        return f"{self.user_agent} contact: {self.contact}"

    @classmethod
    def load(cls, **overrides: Any) -> "Config":
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            if overrides.get(setting.name) is not None:
                values[setting.name] = overrides[setting.name]
            elif setting.env in os.environ:
                values[setting.name] = _coerce(os.environ[setting.env], setting.default)
            else:
                values[setting.name] = setting.default
        return cls(**values)


def _check_table_matches_config() -> None:
    names = {f.name for f in fields(Config)}
    assert names == {s.name for s in SETTINGS}, "SETTINGS and Config disagree"


_check_table_matches_config()
