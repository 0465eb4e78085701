"""Fetching URLs without becoming a way into the user's network.

A feed is someone else's document: its item links may point at `http://169.254.169.254/` (cloud credentials),
`http://localhost:8080/admin` or a router. So, unless the caller allows private addresses, every host is
resolved, *every* address it resolves to must be public, and the connection goes to the address we checked
(not to a second DNS answer: that is DNS rebinding), with TLS still verified against the host name. Redirects
are followed by hand so each hop is checked the same way. Bodies are capped in size and in total time, since
a server can drip one byte a second forever without tripping a read timeout.
"""
from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from according import __version__
from according.errors import IngestError

DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = f"according/{__version__} (news attribution research)"


@dataclass
class Fetched:
    url: str  # after redirects
    status: int
    content_type: str  # media type only, lower case: "text/html"
    charset: str | None
    body: bytes


def is_public(address: str) -> bool:
    """Globally routable unicast: not private, loopback, link-local, multicast, reserved or unspecified."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve_public(host: str, port: int, *, allow_private: bool) -> list[str]:
    """All addresses of `host`; refuses the lot if any is private (a mixed answer is how rebinding starts)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise IngestError(f"cannot resolve host {host!r}: {e.strerror or e}") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not allow_private:
        private = [a for a in addresses if not is_public(a)]
        if private:
            raise IngestError(f"refused: {host} resolves to a private, loopback or link-local address "
                              f"({', '.join(private)}); pass allow_private=True (--allow-private) to fetch it")
    return addresses


class Fetcher:
    """One HTTP client for a run (connections are reused across a feed's items); use as a context manager."""

    def __init__(self, *, allow_private: bool = False, timeout: float = DEFAULT_TIMEOUT,
                 max_bytes: int = DEFAULT_MAX_BYTES, verify: bool | str = True):
        self.verify = verify  # True, or a CA bundle path (a newsroom's TLS-inspecting proxy); False is unsafe
        self.allow_private = allow_private
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._http = None  # made on the first fetch: a run over local files never loads httpx

    @property
    def _client(self):
        if self._http is None:
            import httpx

            # trust_env=False: an environment proxy would resolve names itself and void the address check
            verify = self.verify
            if isinstance(verify, str):
                import ssl

                verify = ssl.create_default_context(cafile=verify)
            self._http = httpx.Client(timeout=httpx.Timeout(self.timeout), follow_redirects=False, trust_env=False,
                                      verify=verify, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        return self._http

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def fetch(self, url: str) -> Fetched:
        """GET `url` following up to `MAX_REDIRECTS` checked redirects; raises `IngestError` with the reason."""
        import httpx

        deadline = time.monotonic() + self.timeout
        for _ in range(MAX_REDIRECTS + 1):
            try:
                response_or_next = self._get_once(url, deadline)
            except httpx.TimeoutException:
                raise IngestError(f"timed out after {self.timeout:g} s: {url}") from None
            except httpx.HTTPError as e:
                raise IngestError(f"cannot fetch {url}: {type(e).__name__}: {e}") from None
            if isinstance(response_or_next, Fetched):
                return response_or_next
            url = response_or_next
        raise IngestError(f"more than {MAX_REDIRECTS} redirects, last to {url}")

    def _get_once(self, url: str, deadline: float) -> Fetched | str:
        import httpx

        targets = self._targets(url)
        for number, (request_url, headers, extensions) in enumerate(targets, start=1):
            try:
                return self._request(url, request_url, headers, extensions, deadline)
            except httpx.ConnectError:
                if number == len(targets):  # every checked address refused: report the last
                    raise
        raise AssertionError("unreachable: _targets returns at least one target")

    def _targets(self, url: str) -> list[tuple[str, dict, dict]]:
        """(URL to request, headers, httpx extensions) per checked address, or the URL itself if all are allowed."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise IngestError(f"only http and https URLs can be fetched, not {parts.scheme or 'a bare path'}: {url}")
        if not parts.hostname:
            raise IngestError(f"the URL has no host: {url}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = resolve_public(parts.hostname, port, allow_private=self.allow_private)
        if self.allow_private:
            return [(url, {}, {})]
        targets = []
        for address in addresses:  # connect to an address we checked, not to a fresh DNS answer
            netloc = f"[{address}]" if ":" in address else address
            request_url = urlunsplit((parts.scheme, f"{netloc}:{port}", parts.path or "/", parts.query, ""))
            headers = {"Host": parts.netloc.rpartition("@")[2]}
            extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
            targets.append((request_url, headers, extensions))
        return targets

    def _request(self, url: str, request_url: str, headers: dict, extensions: dict, deadline: float) -> Fetched | str:
        with self._client.stream("GET", request_url, headers=headers, extensions=extensions) as response:
            if response.is_redirect and "location" in response.headers:
                return urljoin(url, response.headers["location"])
            if response.status_code >= 400:
                raise IngestError(f"HTTP {response.status_code} {response.reason_phrase} from {url}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise IngestError(f"{url} is {int(declared):,} bytes, over the {self.max_bytes:,}-byte limit")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.max_bytes:
                    raise IngestError(f"{url} is over the {self.max_bytes:,}-byte limit; stopped reading")
                if time.monotonic() > deadline:
                    raise IngestError(f"timed out after {self.timeout:g} s while reading {url}")
            media_type, _, params = response.headers.get("content-type", "").partition(";")
            charset = None
            for param in params.split(";"):
                key, _, value = param.strip().partition("=")
                if key.lower() == "charset" and value:
                    charset = value.strip("\"' ")
            return Fetched(url=url, status=response.status_code, content_type=media_type.strip().lower(),
                           charset=charset, body=bytes(body))
