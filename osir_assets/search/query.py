"""The search syntax of the Open LLM Leaderboard's search bar, parsed once into terms (seed 004).

    query  := term (";" term)*          a row is found when ANY term matches it (a union)
    term   := (filter | word)*          separated by whitespace
    filter := "@" field ":" value       value runs to the next whitespace; ALL of a term's filters must match,
                                        each a case-insensitive substring of that field (a column of the table)
    words                               what remains, joined by one space: the free text, matched case-insensitively
                                        against the row's name; a regular expression when it holds any of
                                        \\ ^ $ . * + ? ( ) [ ] { } |

A term of filters only matches on its filters. Whether a regular expression is valid is decided where it runs
(DuckDB's RE2 for the CLI, the browser's engine in the report); an invalid one is matched as plain text.
The report's search box (osir_assets/exports/search_box.js) implements the same grammar; the shared cases in
osir_assets_tests/search_cases.toml hold the two together.
"""

import re
from dataclasses import dataclass, replace

from osir_assets.errors import OsirInputError

REGEX_CHARACTERS = frozenset("\\^$.*+?()[]{}|")
FILTER = re.compile(r"^@(?P<field>[^:\s]+):(?P<value>\S*)$")


@dataclass(frozen=True)
class Filter:
    field: str  # lower case, as columns are named
    value: str


@dataclass(frozen=True)
class Term:
    text: str  # the free text, "" when the term is filters only
    regex: bool
    filters: tuple[Filter, ...]

    def as_plain_text(self) -> "Term":
        return replace(self, regex=False)


def parse(query: str) -> list[Term]:
    """The query's terms; an empty query or a filter without a value is an OsirInputError."""
    terms = []
    for raw in query.split(";"):
        words, filters = [], []
        for token in raw.split():
            found = FILTER.match(token)
            if not found:
                words.append(token)
            elif not found["value"]:
                raise OsirInputError(f"@{found['field']}: needs a value (e.g. @{found['field']}:llama)")
            else:
                filters.append(Filter(found["field"].lower(), found["value"]))
        text = " ".join(words)
        if text or filters:
            terms.append(Term(text, bool(REGEX_CHARACTERS & set(text)), tuple(filters)))
    if not terms:
        raise OsirInputError("empty search query: give text to match names, @field:value filters, or both")
    return terms
