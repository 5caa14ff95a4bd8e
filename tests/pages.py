"""Reading a page as a person does: the words it shows (and says to a screen reader), and the
links on it, for the crawls that walk every page a role can reach."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.test import Client

# Elements whose content is not read by a person.
HIDDEN = {"script", "style", "template", "head", "noscript"}
# Attributes a screen reader says or a person sees.
SPOKEN = ("aria-label", "title", "alt", "placeholder", "aria-valuetext")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


@dataclass(frozen=True)
class Words:
    """One run of text a person meets, and the language its element says it is in."""

    text: str
    lang: str
    entered: bool  # typed by a person (a name, an address, a note): in no language of ours


@dataclass
class _Reader(HTMLParser):
    words: list[Words] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    _stack: list[tuple[str, str, bool]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def _hidden(self) -> bool:
        return any(tag in HIDDEN for tag, _lang, _entered in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang") or (self._stack[-1][1] if self._stack else "")
        entered = "data-eo-entered" in values or bool(self._stack and self._stack[-1][2])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if not self._hidden():
            for name in SPOKEN:
                if values.get(name):
                    self.words.append(Words(values[name] or "", lang or "", entered))
            if (
                tag == "input"
                and values.get("type") in {"submit", "button"}
                and values.get("value")
            ):
                self.words.append(Words(values["value"] or "", lang or "", entered))
        if tag not in VOID:
            self._stack.append((tag, lang or "", entered))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self._stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._stack) - 1, -1, -1):
            if self._stack[depth][0] == tag:
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._hidden():
            _tag, lang, entered = self._stack[-1] if self._stack else ("", "", False)
            self.words.append(Words(text, lang, entered))


def read(html: str) -> tuple[list[Words], list[str]]:
    """The words a page shows and the links on it."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.words, reader.links


# Links a crawl does not follow: signing out, switching language, files, and the API. A file has
# no page words to read (a crawl skips what is not HTML), so it is not made at all: a report's
# PDF took half of a lead's crawl. Its web-page version (?format=html) is followed.
NOT_FOLLOWED = re.compile(
    r"^/(accounts/logout|i18n|static|api|media)/|\.(csv|pdf|json|parquet|xlsx|png|svg)$|"
    r"/(download|export|csv|pdf)/?$"
)
FILE_QUERY = re.compile(r"(^|&)format=(pdf|xlsx|csv|json|parquet)(&|$)")


def shape(path: str) -> str:
    """A path with its identifiers starred: every segment with a digit, and every segment after
    the second (/insight/outcomes/*/* stands for every breakdown, /customers/* every record)."""
    parts = path.split("/")
    return "/".join(
        "*" if (index > 2 and part and part != "?") or re.search(r"\d", part) else part
        for index, part in enumerate(parts)
    )


def crawl(
    client: Client, start: str = "/", limit: int = 400, variants: int = 1
) -> Iterator[tuple[str, str]]:
    """Every page reachable from ``start`` by following links, as (path, HTML): each path once,
    at most ``variants`` different query strings of a path (filters and pages of a list), and
    ``variants`` + 1 pages of one shape (three records stand for every record)."""
    seen: set[str] = set()
    per_path: dict[str, int] = {}
    queue: deque[str] = deque([start])
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        yield (
            response.request["PATH_INFO"]
            + (
                "?" + response.request["QUERY_STRING"]
                if response.request.get("QUERY_STRING")
                else ""
            ),
            html,
        )
        for link in read(html)[1]:
            target, _fragment = urldefrag(link)
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if NOT_FOLLOWED.search(parts.path) or FILE_QUERY.search(parts.query) or target in seen:
                continue
            key = parts.path + ("?" if parts.query else "")
            if per_path.get(shape(key), 0) > variants:
                continue
            per_path[shape(key)] = per_path.get(shape(key), 0) + 1
            queue.append(target)


Finding = Callable[[Words], str | None]


# Fields that hold codes, which a page must show in words, not text a person typed.
CODE_FIELDS = re.compile(
    r"^(code|category|characteristic|indicator|measure|customer_type|event_type|section|action|"
    r"role|status|kind|scopes?|level|language|nation|area|edition|toolkit|sub_outcome|question|"
    r"answer|criterion|need|adjustment|format|method|source|target_type|target_id)$|_(code|type)$"
)


def entered_texts() -> list[str]:
    """Every text people typed into the landlord's records that is stored in clear (titles,
    owners, names of teams and agreements, staff job titles, usernames), longest first: it is
    in whatever language its author wrote, so the crawls do not hold it against the page."""
    from django.apps import apps
    from django.db import models

    from equal_outcomes.core.fields import EncryptedTextField

    found: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("equal_outcomes"):
            continue
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
            and not isinstance(field, EncryptedTextField)
            and not field.choices
            and not CODE_FIELDS.search(field.name)
        ]
        for values in model.objects.values_list(*fields) if fields else ():
            found.update(value for value in values if isinstance(value, str) and len(value) > 3)
    return sorted(found, key=len, reverse=True)
