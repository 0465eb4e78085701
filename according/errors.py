"""Errors `according` raises, each with a code a user can search for (like spaCy's `[E050]`).

The library raises these; only the CLI turns them into messages and exit statuses.
"""


class AccordingError(Exception):
    code = "A000"

    def __init__(self, message: str):
        self.message = message
        super().__init__(f"[{self.code}] {message}")

    def __reduce__(self):
        # rebuilt from the bare message when it crosses a process boundary, so the code is not added twice
        return (type(self), (self.message,))


class InputError(AccordingError):
    """The input cannot be read as text: missing, a directory, binary, empty."""
    code = "A100"


class LimitError(InputError):
    """An article cost more to read than its limits allow (time or memory); it fails alone. `record` is the
    record that went over, so that a batch can tell which of its articles failed."""
    code = "A110"

    def __init__(self, message: str, record: dict | None = None):
        super().__init__(message)
        self.record = record


class ModelError(AccordingError):
    """The spaCy pipeline named in the configuration cannot be loaded."""
    code = "A200"


class GateError(ModelError):
    """A gate file (the attribution component's weights) that this version cannot read: no schema version, or
    one it does not know. Its weights would be read wrong, silently, so it is refused."""
    code = "A210"


class StanceModelError(ModelError):
    """The stance model shipped with according cannot be read (a damaged install)."""
    code = "A220"


class IngestError(AccordingError):
    """A source could not be ingested (a feed that is not XML, a page with no article, a timeout)."""
    code = "A300"


class StoreError(AccordingError):
    """The store cannot be opened or used (bad URL, missing driver, schema too new); the subclasses below say more."""
    code = "A400"


class AmbiguousId(StoreError):
    """An id prefix names more than one article."""
    code = "A401"


class QueryError(StoreError):
    """A search query that cannot be read: the message says what is wrong and where."""
    code = "A402"


class StoreWriteError(StoreError):
    """The store cannot be written (disk full, I/O error): nothing more can be stored, so a run stops here."""
    code = "A410"


class ReadOnlyStore(StoreWriteError):
    """The store was opened read-only, or its file or folder cannot be written: it can be searched, not added to."""
    code = "A411"


class StoreUnreachable(StoreWriteError):
    """The connection to the store's server was lost (PostgreSQL stopped or restarted, the network went): nothing
    more can be stored until it is back, so a run stops here."""
    code = "A412"


class ArticleRefused(StoreError):
    """The store refuses one article (a value one back end would store and the other not); the rest go on."""
    code = "A420"


class ClaimError(AccordingError):
    """A merge or split of claims that cannot be made: an article claim not in the claim, nothing left behind."""
    code = "A500"


class EngineError(AccordingError):
    """An engine cannot run as asked (an unknown engine, a missing optional dependency)."""
    code = "A600"


class ServerError(AccordingError):
    """`according serve` cannot listen where asked (the port taken, an address not this machine's) or cannot go
    on (a worker process stopped as soon as it started)."""
    code = "A700"
