"""Fetching URLs without becoming a way into the user's network.

A feed is someone else's document: its item links may point at `http://169.254.169.254/` (cloud credentials),
`http://localhost:8080/admin` or a router. So, unless the caller allows private addresses, every host is
resolved, *every* address it resolves to must be public, and the connection goes to the address we checked
(not to a second DNS answer: that is DNS rebinding), with TLS still verified against the host name. Redirects
are followed by hand so each hop is checked the same way. Bodies are capped in size, and each fetch in total time
(connecting, headers, body and redirects together), since a server can drip a header line or a byte a second
forever without tripping a per-read time-out.
"""
from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from according import __version__
from according.errors import IngestError
from according.ingest.files import DEFAULT_MAX_BYTES

DEFAULT_TIMEOUT = 20.0
MAX_REDIRECTS = 5
USER_AGENT = f"according/{__version__} (news attribution research)"


@dataclass
class Fetched:
    url: str  # after redirects
    status: int
    content_type: str  # media type only, lower case: "text/html"
    charset: str | None
    body: bytes


# IPv6 prefixes whose last 32 bits are an IPv4 address the packet reaches: NAT64 (RFC 6052) and the deprecated
# IPv4-compatible form. `ipaddress` calls both global whatever they embed; 6to4, Teredo and IPv4-mapped addresses
# have properties of their own.
_LAST_32_BITS = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("::/96"))
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: a site's own translator, never public


def is_public(address: str) -> bool:
    """Globally routable unicast: not private, loopback, link-local, multicast, reserved or unspecified, and not
    an IPv6 address that carries such an IPv4 address inside it (`64:ff9b::10.0.0.1` reaches 10.0.0.1)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return is_public(str(ip.ipv4_mapped))
        if ip in _LOCAL_NAT64:
            return False
        embedded = [ip.sixtofour, *(ip.teredo or ())]
        embedded += [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) for net in _LAST_32_BITS if ip in net]
        if not all(is_public(str(v4)) for v4 in embedded if v4 is not None):
            return False
    return ip.is_global and not ip.is_multicast


def is_url(source: str) -> bool:
    """An http(s) URL, whatever the case of its scheme (`HTTP://` is `http://`, RFC 3986)."""
    return source[:8].lower().startswith(("http://", "https://"))


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
        self._clock = _Clock()

    @property
    def _client(self):
        if self._http is None:
            import httpx

            # trust_env=False: an environment proxy would resolve names itself and void the address check
            verify = self.verify
            if isinstance(verify, str):
                import ssl

                verify = ssl.create_default_context(cafile=verify)
            transport = httpx.HTTPTransport(verify=verify, trust_env=False)
            # httpx has no total time-out, only one per operation: a server that sends a header line a second never
            # trips it. So every socket operation goes through the fetch's clock (httpcore's own seam for network
            # backends; httpx builds its pool without one, hence the attribute).
            transport._pool._network_backend = _DeadlineBackend(self._clock)
            self._http = httpx.Client(transport=transport, timeout=httpx.Timeout(self.timeout), follow_redirects=False,
                                      trust_env=False, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
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

        self._clock.deadline = time.monotonic() + self.timeout  # for the whole fetch, redirects included
        for _ in range(MAX_REDIRECTS + 1):
            try:
                response_or_next = self._get_once(url)
            except httpx.TimeoutException:
                raise IngestError(f"timed out after {self.timeout:g} s: {url}") from None
            except (httpx.HTTPError, httpx.InvalidURL) as e:
                raise IngestError(f"cannot fetch {url}: {type(e).__name__}: {e}") from None
            if isinstance(response_or_next, Fetched):
                return response_or_next
            url = response_or_next
        raise IngestError(f"more than {MAX_REDIRECTS} redirects, last to {url}")

    def _get_once(self, url: str) -> Fetched | str:
        import httpx

        targets = self._targets(url)
        for number, (request_url, headers, extensions) in enumerate(targets, start=1):
            try:
                return self._request(url, request_url, headers, extensions)
            except httpx.ConnectError:
                if number == len(targets):  # every checked address refused: report the last
                    raise
        raise AssertionError("unreachable: _targets returns at least one target")

    def _targets(self, url: str) -> list[tuple[str, dict, dict]]:
        """(URL to request, headers, httpx extensions) per checked address, or the URL itself if all are allowed."""
        try:
            parts = urlsplit(url)  # the scheme comes back lower case: HTTP:// is http://
        except ValueError as e:  # "http://[::1": an IPv6 host left open
            raise IngestError(f"not a URL that can be fetched ({e}): {url}") from None
        if parts.scheme not in ("http", "https"):
            raise IngestError(f"only http and https URLs can be fetched, not {parts.scheme or 'a bare path'}: {url}")
        if not parts.hostname:
            raise IngestError(f"the URL has no host: {url}")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as e:
            raise IngestError(f"the URL has a bad port ({e}): {url}") from None
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

    def _request(self, url: str, request_url: str, headers: dict, extensions: dict) -> Fetched | str:
        with self._client.stream("GET", request_url, headers=headers, extensions=extensions) as response:
            if response.is_redirect and "location" in response.headers:
                try:
                    return urljoin(url, response.headers["location"])
                except ValueError as e:
                    raise IngestError(f"{url} redirects to {response.headers['location']!r}, not a URL ({e})") \
                        from None
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
            media_type, _, params = response.headers.get("content-type", "").partition(";")
            charset = None
            for param in params.split(";"):
                key, _, value = param.strip().partition("=")
                if key.lower() == "charset" and value:
                    charset = value.strip("\"' ")
            return Fetched(url=url, status=response.status_code, content_type=media_type.strip().lower(),
                           charset=charset, body=bytes(body))


class _Clock:
    """The deadline of the fetch under way, shared by every socket the client opens or reuses for it."""

    deadline = float("inf")

    def left(self, timeout: float | None, error: type[Exception]) -> float:
        """The time an operation may take: its own time-out, cut to what is left of the fetch's."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise error("the fetch's total time is up")
        return left if timeout is None else min(timeout, left)


class _DeadlineBackend:
    """httpcore's synchronous network backend, with every connect, read and write held to the fetch's deadline."""

    def __init__(self, clock: _Clock):
        import httpcore

        self._backend, self._clock, self._httpcore = httpcore.SyncBackend(), clock, httpcore

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        timeout = self._clock.left(timeout, self._httpcore.ConnectTimeout)
        stream = self._backend.connect_tcp(host, port, timeout, local_address, socket_options)
        return _DeadlineStream(stream, self._clock, self._httpcore)

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise self._httpcore.ConnectError("fetching through a Unix socket is not supported")

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _DeadlineStream:
    def __init__(self, stream, clock: _Clock, httpcore):
        self._stream, self._clock, self._httpcore = stream, clock, httpcore

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._clock.left(timeout, self._httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._clock.left(timeout, self._httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        timeout = self._clock.left(timeout, self._httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, timeout), self._clock,
                               self._httpcore)

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)
