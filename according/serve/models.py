"""The API's request and response bodies, as pydantic models so that OpenAPI (`/docs`) documents them.

They mirror the JSON the CLI prints (`show --json`, `claims --json`, `claim ID --json`, `who --json`, `analyze
--json`): the same keys, filled from the same library calls. A key the CLI leaves out of a record (`copy_of` on a
step that is not a copy, `speaking_for` on a statement found by its own name) is left out here too
(`response_model_exclude_unset`).
"""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

Span = tuple[int, int]
MAX_PAGE = 500


class Page(BaseModel):
    total: int = Field(description="Everything that matches, on every page.")
    limit: int
    offset: int


# -- search -----------------------------------------------------------------------------------------------------

class Hit(BaseModel):
    """An attribution whose content matched (with its source and stance), or an article whose text did."""
    # search is being extended (full contents, urls): keys added there pass through
    model_config = ConfigDict(extra="allow")

    article_id: str
    title: Optional[str]
    outlet: Optional[str]
    published: Optional[str]
    attribution_id: Optional[str] = Field(description="None when the article matched but none of its statements.")
    source: Optional[str]
    stance: Optional[str]
    snippet: str
    highlights: list[Span] = Field(description="The matched words, as [start, end) offsets into `snippet`.")


class FacetCount(BaseModel):
    value: str
    count: int


class SearchPage(Page):
    total_exact: bool = Field(True, description="False when there are more hits than `total` (counting stops at "
                                                "1,000 past the page unless facets were asked for).")
    hits: list[Hit]
    facets: dict[str, list[FacetCount]] = Field(
        description="With facets=true: counts over all matching hits by outlet, month (published), stance and "
                    "claim status; else empty.")


# -- one article ------------------------------------------------------------------------------------------------

class RoleTexts(BaseModel):
    source: list[str]
    cue: list[str]
    content: list[str]
    via: list[str]


class AttributionOut(BaseModel):
    id: str
    source: list[Span]
    cue: list[Span]
    content: list[Span]
    stance: Literal["assert", "deny", "uncertain"]
    kind: str
    parent: Optional[str] = Field(description="The statement whose content holds this one.")
    source_entity: Optional[str]
    anonymous: bool
    hedged: bool
    via: list[Span] = Field(description="Whom the source cites.")
    text: RoleTexts = Field(alias="_text", description="The words of each span.")


class EntityOut(BaseModel):
    name: str
    label: str
    role: Optional[str]
    mentions: list[Span]


class PositionOut(BaseModel):
    attribution: str
    stance: str
    on_record: bool
    parties: list[str]


class ArticleClaimOut(BaseModel):
    id: str
    text: str
    status: str
    positions: list[PositionOut]


class AnalysisOut(BaseModel):
    """One article's who-said-what: spans are [start, end) offsets into `text`."""
    id: Optional[str]
    text: str
    meta: dict[str, str]
    attributions: list[AttributionOut]
    entities: list[EntityOut]
    claims: list[ArticleClaimOut]


class StoredArticleOut(AnalysisOut):
    duplicate_of: Optional[str] = Field(description="The original this article is a syndicated near-copy of.")
    original: Optional[AnalysisOut] = Field(None, description="The original's reading, for a near-copy.")


class AnalyzeRequest(BaseModel):
    text: str = Field(min_length=1, description="The article's plain text; its first line is its title.")
    title: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = Field(None, description="ISO date: 2024-11-07 or 2024-11-07T09:15:00+01:00.")


# -- claims across articles -------------------------------------------------------------------------------------

Status = Literal["unverified", "asserted", "denied", "contested", "confirmed", "retracted"]


class ClaimSummary(BaseModel):
    id: str
    text: str
    status: Status
    first_seen: Optional[str]
    articles: int
    outlets: list[str]
    parties: list[str]


class ClaimPage(Page):
    claims: list[ClaimSummary]


class Step(BaseModel):
    """One position taken on a claim, in date order, and the claim's status once it is counted."""
    published: Optional[str]
    article_id: str
    title: Optional[str]
    outlet: Optional[str]
    url: Optional[str]
    claim: str = Field(description="The article's claim (c1, c2...): ARTICLE_ID:CLAIM names it for a split.")
    attribution: Optional[str]
    copy_of: Optional[str] = Field(None, description="Only on a syndicated copy: the article it copies.")
    source: Optional[str]
    source_entity: Optional[str]
    anonymous: bool
    on_record: bool
    stance: Literal["assert", "deny", "uncertain", "report"]
    cue: Optional[str]
    content: Optional[str]
    via: Optional[str]
    status_after: Status


class Timeline(BaseModel):
    id: str
    text: str
    status: Status
    first_seen: Optional[str]
    articles: int
    wordings: list[str]
    timeline: list[Step]


class Statement(BaseModel):
    article_id: str
    published: Optional[str]
    title: Optional[str]
    outlet: Optional[str]
    url: Optional[str]
    id: str
    source_text: Optional[str]
    source_entity: Optional[str]
    anonymous: bool
    stance: str
    cue_text: str
    content_text: str
    via_text: str
    corpus_claim: Optional[str]
    claim: Optional[str]
    position: Optional[str]
    ordinal: int
    kind: str
    hedged: bool
    parent: Optional[str]
    source: list[list[int]] = Field(description="The source's character spans in the article.")
    cue: list[list[int]]
    content: list[list[int]]
    speaking_for: Optional[str] = Field(None, description="Only when found as a spokesperson: whom it speaks for.")


class SourcePage(Page):
    name: str
    statements: list[Statement]


# -- writes -----------------------------------------------------------------------------------------------------

class IngestRequest(BaseModel):
    """A text, or the URL of a page or an RSS/Atom feed (each item followed to its article): exactly one."""
    text: Optional[str] = Field(None, min_length=1)
    url: Optional[str] = Field(None, pattern=r"^https?://", description="Fetched only from public addresses.")
    title: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = None

    @model_validator(mode="after")
    def one_input(self) -> "IngestRequest":
        if (self.text is None) == (self.url is None):
            raise ValueError("give either `text` or `url`, not both and not neither")
        if self.url is not None and any(v is not None for v in (self.title, self.outlet, self.published)):
            raise ValueError("title, outlet and published go with a `text`; a page or feed gives its own")
        return self


class FailureOut(BaseModel):
    origin: str
    reason: str


class IngestResult(BaseModel):
    read: int
    stored: int
    duplicates: int
    skipped: int
    failed: int
    failures: list[FailureOut]
    warnings: list[str]
    seconds: float
    corpus_claims: Optional[int]
    article_id: Optional[str] = Field(None, description="The id of the text posted (not for a URL).")


class MergeRequest(BaseModel):
    ids: list[str] = Field(min_length=2, description="Claim ids (or their starts): the later ones join the first.")


class SplitRequest(BaseModel):
    keys: list[str] = Field(min_length=1, description="Article claims as ARTICLE_ID:c1 (as the timeline lists "
                                                      "them), taken out into a claim of their own.")


class Regrouped(BaseModel):
    claims: list[str] = Field(description="The claim ids that hold the article claims named, after regrouping.")
    corpus_claims: int


class Problem(BaseModel):
    detail: str
    code: Optional[str] = None
