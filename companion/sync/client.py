"""The HTTP client of the hub API (see ``docs/sync-protocol.md``), with errors in plain words.

Poor connections are the normal case, so every failure is sorted into what the caller must do
about it:

- :class:`HubOffline`: no answer (no network, DNS, refused, timeout, a link cut mid-response):
  keep the changes and try again later;
- :class:`HubAuthError`: ``401``, the token expired or was revoked: ask the person to log in;
- :class:`HubRefused`: another ``4xx`` with the hub's code and reason: retrying will not help;
- :class:`HubServerError`: ``5xx``: the hub has a problem: try again later.

The client honours the system's HTTP(S) proxy (``trust_env``), verifies TLS (with a custom CA
file for a self-hosted hub) and gzips large request bodies; responses are gzipped by the hub
when the client accepts it, which httpx does by default.
"""

from __future__ import annotations

import gzip
import json
import ssl
from dataclasses import dataclass
from typing import Any

import httpx

from companion import __version__
from companion.core.errors import CompanionError

GZIP_ABOVE_BYTES = 1024
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=60.0, pool=10.0)


class HubError(CompanionError):
    """Talking to the hub failed. ``message`` is for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class HubOffline(HubError):
    """The hub could not be reached, or the connection broke before a complete answer."""


class HubAuthError(HubError):
    """The hub does not accept the login (wrong password, or the token expired/was revoked)."""

    def __init__(self, message: str, code: str = "unauthorized") -> None:
        super().__init__(message)
        self.code = code


class HubRefused(HubError):
    """The hub understood the request and said no (a 4xx other than 401)."""

    def __init__(self, message: str, status: int, code: str,
                 retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.retry_after_s = retry_after_s


class HubServerError(HubError):
    """The hub failed (a 5xx, or an answer that is not the protocol)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class TokenInfo:
    token: str
    expires_at: float
    account: dict[str, Any]

    @property
    def account_id(self) -> int:
        return int(self.account["account_id"])


def normalize_hub_url(url: str) -> str:
    """``hub.example.org`` and ``https://hub.example.org/`` name the same hub."""
    url = url.strip().rstrip("/")
    if not url:
        raise HubError("the hub address is empty")
    if "://" not in url:
        url = f"https://{url}"
    if not url.startswith(("http://", "https://")):
        raise HubError(f"the hub address must start with https:// (or http://), not {url!r}")
    return url


def _verify(ca_file: str | None) -> ssl.SSLContext | bool:
    if ca_file is None:
        return True
    try:
        return ssl.create_default_context(cafile=ca_file)
    except (OSError, ssl.SSLError) as exc:
        raise HubError(f"the CA file {ca_file} cannot be used ({exc})") from exc


def authorized_http(base_url: str, token: str, *, ca_file: str | None = None,
                    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT) -> httpx.Client:
    """A plain httpx client for the hub's file transfers (publish, downloads): the same
    proxy, TLS and CA rules as :class:`HubClient`, with the bearer token on every request."""
    headers = {"User-Agent": f"companion/{__version__}", "Authorization": f"Bearer {token}"}
    return httpx.Client(base_url=normalize_hub_url(base_url), headers=headers, timeout=timeout,
                        verify=_verify(ca_file), trust_env=True)


class HubClient:
    """One hub, one (optional) token. Thread-compatible: use one client per thread."""

    def __init__(self, base_url: str, token: str | None = None, *, ca_file: str | None = None,
                 timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = normalize_hub_url(base_url)
        self.token = token
        self.requests_sent = 0
        headers = {"User-Agent": f"companion/{__version__}", "Accept": "application/json"}
        self._http = httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout,
                                  verify=_verify(ca_file), trust_env=True, transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests ------------------------------------------------------------------------------

    def _request(self, method: str, path: str, body: Any = None, *,
                 auth: bool = True, raw: bytes | None = None) -> httpx.Response:
        headers: dict[str, str] = {}
        content: bytes | None = raw
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if raw is not None:
            headers["Content-Type"] = "application/octet-stream"
        elif body is not None:
            content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
            if len(content) > GZIP_ABOVE_BYTES:
                content = gzip.compress(content, compresslevel=5)
                headers["Content-Encoding"] = "gzip"
        self.requests_sent += 1
        try:
            response = self._http.request(method, path, content=content, headers=headers)
        except httpx.TimeoutException as exc:
            raise HubOffline(f"the hub at {self.base_url} did not answer in time") from exc
        except httpx.ProxyError as exc:
            raise HubOffline(f"the proxy refused the connection to the hub ({exc})") from exc
        except httpx.ConnectError as exc:
            if isinstance(exc.__cause__, ssl.SSLError) or "CERTIFICATE" in str(exc).upper():
                raise HubRefused(f"the hub's certificate is not trusted ({exc}); for a "
                                 "self-hosted hub give its CA file with --ca-file",
                                 0, "tls") from exc
            raise HubOffline(f"cannot reach the hub at {self.base_url}") from exc
        except httpx.TransportError as exc:  # read/write errors, dropped mid-response
            raise HubOffline(f"the connection to the hub broke ({type(exc).__name__})") from exc
        if response.status_code >= 400:
            raise self._error(response)
        return response

    def _error(self, response: httpx.Response) -> HubError:
        status = response.status_code
        code, message = "", ""
        try:
            error = response.json().get("error") or {}
            code, message = str(error.get("code", "")), str(error.get("message", ""))
        except (ValueError, AttributeError):
            pass
        if status == 401:
            if code == "bad_credentials":
                return HubAuthError("wrong username or password", code)
            return HubAuthError("the hub no longer accepts this login (it expired or was "
                                "revoked): log in again", code or "unauthorized")
        if status >= 500:
            return HubServerError(f"the hub has a problem (HTTP {status}); trying again later",
                                  status)
        retry = response.headers.get("Retry-After")
        retry_s = float(retry) if retry and retry.isdigit() else None
        if not message:
            message = f"the hub refused the request (HTTP {status})"
        return HubRefused(message, status, code or "refused", retry_s)

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            # A proxy's error page, or a body cut short by a dropped link.
            raise HubServerError("the hub's answer is not valid JSON", response.status_code) \
                from exc

    # -- the API -------------------------------------------------------------------------------

    def info(self) -> dict[str, Any]:
        """``GET /v1/hub``: protocol version and limits (no login needed)."""
        return dict(self._json(self._request("GET", "/v1/hub", auth=False)))

    def login(self, username: str, password: str, device_id: str,
              device_name: str = "") -> TokenInfo:
        body = {"username": username, "password": password, "device_id": device_id,
                "device_name": device_name}
        return self._token(self._request("POST", "/v1/auth/login", body, auth=False))

    def join(self, invite_code: str, username: str, password: str, device_id: str,
             device_name: str = "") -> TokenInfo:
        """Create a learner account with a group's invite code, and log this device in."""
        body = {"invite_code": invite_code, "username": username, "password": password,
                "device_id": device_id, "device_name": device_name}
        return self._token(self._request("POST", "/v1/accounts", body, auth=False))

    def _token(self, response: httpx.Response) -> TokenInfo:
        data = self._json(response)
        try:
            info = TokenInfo(str(data["token"]), float(data["expires_at"]), dict(data["account"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise HubServerError("the hub's login answer is incomplete", 200) from exc
        self.token = info.token
        return info

    def logout(self) -> None:
        """Revoke this token on the hub."""
        self._request("POST", "/v1/auth/logout")

    def me(self) -> dict[str, Any]:
        return dict(self._json(self._request("GET", "/v1/me")))

    def group_members(self, group_id: int) -> list[dict[str, Any]]:
        return list(self._json(self._request("GET", f"/v1/groups/{int(group_id)}/members")))

    def put_photo(self, sha256: str, data: bytes) -> dict[str, Any]:
        """``PUT /v1/people/photo/{sha256}``: the photo of my own profile (its change must have
        reached the hub first: 409 ``not_current_photo`` otherwise)."""
        return dict(self._json(self._request("PUT", f"/v1/people/photo/{sha256}", raw=data)))

    def get_photo(self, sha256: str) -> bytes:
        """``GET /v1/people/photo/{sha256}``: the photo of someone in one of my groups (404 for
        anyone else's)."""
        return self._request("GET", f"/v1/people/photo/{sha256}").content

    @property
    def http(self) -> httpx.Client:
        """The underlying client (the hub's base URL, TLS and proxy rules; no token)."""
        return self._http

    def register_device_keys(self, sign_key: str, box_key: str) -> None:
        """``POST /v1/devices/keys``: the public halves of this device's courier keys."""
        self._request("POST", "/v1/devices/keys", {"sign_key": sign_key, "box_key": box_key})

    def courier(self, bundle: bytes) -> dict[str, Any]:
        """``POST /v1/courier``: deliver a sealed bundle (no token: it carries its proof)."""
        self.requests_sent += 1
        try:
            response = self._http.post("/v1/courier", content=bundle,
                                       headers={"Content-Type": "application/octet-stream"})
        except httpx.TimeoutException as exc:
            raise HubOffline(f"the hub at {self.base_url} did not answer in time") from exc
        except httpx.TransportError as exc:
            raise HubOffline(f"cannot reach the hub at {self.base_url}") from exc
        if response.status_code >= 400:
            raise self._error(response)
        data = self._json(response)
        if not isinstance(data, dict) or not isinstance(data.get("answer"), str) \
                or not isinstance(data.get("media"), list):
            raise HubServerError("the hub's courier answer is not the expected protocol", 200)
        return data

    def sync(self, cursor: str | None, changes: list[dict[str, Any]],
             limit: int | None = None) -> dict[str, Any]:
        """One ``POST /v1/sync``: push ``changes`` and pull the next page after ``cursor``."""
        body: dict[str, Any] = {"cursor": cursor, "changes": changes}
        if limit is not None:
            body["limit"] = limit
        data = self._json(self._request("POST", "/v1/sync", body))
        if not isinstance(data, dict) or not isinstance(data.get("cursor"), str) \
                or not all(isinstance(data.get(k), list)
                           for k in ("accepted", "rejected", "changes")):
            raise HubServerError("the hub's sync answer is not the expected protocol", 200)
        return data
