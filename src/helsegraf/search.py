"""Full-text search over the graph's labels, alternative labels and descriptions (nb, nn, en, and untagged
Sámi forms), on SQLite FTS5 from the standard library.

Every label is indexed three ways, so that a query finds what a reader means:

* *exact* words: lower case, with accents other than Norwegian letters taken off (``Kárášjohka`` ->
  ``karasjohka``); æ, ø and å stay letters of their own, so «før» does not find «for»;
* *stems*: Snowball's Norwegian stemmer (English for ``@en`` text), so «helsetjenester» finds «helsetjeneste»;
* *folded* to ASCII (ø -> o and oe, å -> a and aa, æ -> ae): searched only for query words written without
  æ, ø or å, so «Hoylandet» and «hoeylandet» still find Høylandet while «Høylandet» matches only itself.

Identifiers (municipality, county and organisation numbers, Lovdata IDs) are indexed as words too.
Ranking is BM25 over those columns (names weigh most, descriptions least), then a boost for a name equal to
the query. The index is built from the store in well under a second for the bundled graph and rebuilt lazily
when the data changed (:func:`helsegraf.web.freshness.data_version`).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

from .namespaces import DCT, HG, RDF, RDFS, SKOS, graph_base, meta_graph

ELI = "http://data.europa.eu/eli/ontology#"
FOAF = "http://xmlns.com/foaf/0.1/"
#: Predicates whose literals name a resource, in order of preference for its display name.
NAME_PREDICATES = [SKOS + "prefLabel", RDFS + "label", DCT + "title", ELI + "title_short", ELI + "title",
                   FOAF + "name"]
ALT_PREDICATES = [SKOS + "altLabel", SKOS + "hiddenLabel"]
DESCRIPTION_PREDICATES = [SKOS + "definition", DCT + "description", RDFS + "comment"]
#: Identifiers a query may give instead of a name, and the links reconciliation uses to tell namesakes apart.
IDENTIFIER_PREDICATES = [HG + "municipalityNumber", HG + "countyNumber", HG + "organisationNumber",
                         ELI + "id_local"]
LINK_PREDICATES = [HG + "county"]

_NORWEGIAN = snowballstemmer.stemmer("norwegian")
_ENGLISH = snowballstemmer.stemmer("english")
_WORD = re.compile(r"\w+", re.UNICODE)
_KEEP = set("æøåÆØÅ")
_ASCII_SHORT = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})
_ASCII_LONG = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
#: Column weights for BM25, in the column order of the FTS table (name, exact, stem, folded, ids, desc).
_WEIGHTS = (10.0, 6.0, 3.0, 4.0, 8.0, 1.0)


def strip_marks(text: str) -> str:
    """Lower case without accents, but with æ, ø and å kept (they are letters, not accented vowels)."""
    out = []
    for char in text.lower():
        if char in _KEEP:
            out.append(char)
            continue
        out.extend(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", "".join(out))


def words(text: str) -> list[str]:
    """The words of ``text``, lower case, Norwegian letters kept, other accents taken off.

    >>> words("Kárášjohka – Høylandet kommune")
    ['karasjohka', 'høylandet', 'kommune']
    """
    return _WORD.findall(strip_marks(text))


def stems(tokens: list[str], lang: str | None) -> list[str]:
    """Snowball stems: English for ``en``, Norwegian for everything else (nb, nn, untagged)."""
    english = lang == "en"
    return [_stem(token, english) for token in tokens]


@lru_cache(maxsize=100_000)
def _stem(token: str, english: bool) -> str:
    # The same words recur across thousands of labels; the pure-Python stemmer is the build's main cost.
    return (_ENGLISH if english else _NORWEGIAN).stemWord(token)


def folded(tokens: list[str]) -> list[str]:
    """ASCII spellings of the words that have æ, ø or å (both the short and the long one).

    >>> folded(["høylandet", "levanger"])
    ['hoylandet', 'hoeylandet']
    """
    out = []
    for token in tokens:
        if _KEEP & set(token):
            out += sorted({token.translate(_ASCII_SHORT), token.translate(_ASCII_LONG)}, key=len)
    return out


def normal_name(text: str) -> str:
    """A name reduced for comparison: its words joined by one space."""
    return " ".join(words(text))


#: Words of organisation form that a spreadsheet often leaves out («Helse Bergen» for «Helse Bergen HF»).
ORGANISATION_FORMS = {"hf", "rhf", "kommune", "fylkeskommune", "suohkan", "as", "iks"}


def name_likeness(query: str, name: str) -> float:
    """How nearly ``query`` is ``name``: 1 equal, 0.9 equal once folded to ASCII, 0.8 equal but for a word of
    organisation form at the end, 0 otherwise.

    >>> name_likeness("hoylandet", "Høylandet"), name_likeness("Helse Bergen", "Helse Bergen HF")
    (0.9, 0.8)
    """
    asked, named = words(query), words(name)
    if asked == named:
        return 1.0
    if [t.translate(_ASCII_SHORT) for t in named] == asked or [t.translate(_ASCII_LONG) for t in named] == asked:
        return 0.9
    if (named and named[-1] in ORGANISATION_FORMS and named[:-1] == asked) or (
            asked and asked[-1] in ORGANISATION_FORMS and asked[:-1] == named):
        return 0.8
    return 0.0


@dataclass
class Entity:
    iri: str
    names: list[tuple[str, str | None]] = field(default_factory=list)
    alts: list[tuple[str, str | None]] = field(default_factory=list)
    descriptions: list[tuple[str, str | None]] = field(default_factory=list)
    identifiers: dict[str, list[str]] = field(default_factory=dict)
    types: set[str] = field(default_factory=set)

    def name(self, lang: str = "nb") -> str:
        for wanted in (lang, "nb", "nn", None, "en"):
            for text, text_lang in self.names:
                if text_lang == wanted:
                    return text
        return self.names[0][0] if self.names else (self.alts[0][0] if self.alts else self.iri)

    def description(self, lang: str = "nb") -> str:
        for wanted in (lang, "nb", "nn", None, "en"):
            for text, text_lang in self.descriptions:
                if text_lang == wanted:
                    return text
        return ""


@dataclass
class Hit:
    entity: Entity
    score: float
    exact: bool


class SearchIndex:
    """An FTS5 index of one state of the store (``version``), with the entities it was built from."""

    def __init__(self, store, base: str, version: str = ""):
        started = time.perf_counter()
        self.version = version
        self.base = base
        self.entities = _gather(store, base)
        self.type_closure = _superclasses(store)
        for entity in self.entities.values():
            entity.types |= {sup for t in list(entity.types) for sup in self.type_closure.get(t, ())}
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute("CREATE VIRTUAL TABLE fts USING fts5(name, exact, stem, folded, ids, descr, "
                         "tokenize = 'unicode61 remove_diacritics 0')")
        self._db.execute("CREATE TABLE types (rowid INTEGER, type TEXT)")
        self._iris: list[str] = []
        rows, type_rows = [], []
        for rowid, entity in enumerate(self.entities.values()):
            self._iris.append(entity.iri)
            labels = entity.names + entity.alts
            exact = [w for text, _ in labels for w in words(text)]
            stem = [s for text, lang in labels for s in stems(words(text), lang)]
            desc = [w for text, lang in entity.descriptions for w in (words(text) + stems(words(text), lang))]
            ids = [w for values in entity.identifiers.values() for value in values for w in words(value)]
            rows.append((rowid, " ".join(words(entity.name()) + [w for n, _ in entity.names for w in words(n)]),
                         " ".join(exact), " ".join(stem), " ".join(folded(exact)), " ".join(ids),
                         " ".join(desc + folded(desc))))
            type_rows += [(rowid, t) for t in entity.types]
        self._db.executemany("INSERT INTO fts(rowid, name, exact, stem, folded, ids, descr) VALUES (?,?,?,?,?,?,?)",
                             rows)
        self._db.executemany("INSERT INTO types VALUES (?, ?)", type_rows)
        self._db.execute("CREATE INDEX types_by_type ON types(type, rowid)")
        self.build_seconds = time.perf_counter() - started

    def __len__(self) -> int:
        return len(self._iris)

    def search(self, query: str, *, types: list[str] | None = None, limit: int | None = 20, offset: int = 0,
               prefix: bool = True, any_word: bool = False) -> list[Hit]:
        """The entities matching every word of ``query`` (the last word also as a prefix), best first; at most
        500 are ranked (``limit=None``: all of those). ``any_word``: entities with any of the words."""
        expression = fts_query(query, prefix=prefix, joiner=" OR " if any_word else " AND ")
        if not expression:
            return []
        sql = "SELECT rowid, bm25(fts, ?, ?, ?, ?, ?, ?) FROM fts WHERE fts MATCH ?"
        params: list = [*_WEIGHTS, expression]
        if types:
            sql += f" AND rowid IN (SELECT rowid FROM types WHERE type IN ({','.join('?' * len(types))}))"
            params += types
        sql += " ORDER BY bm25(fts, ?, ?, ?, ?, ?, ?) LIMIT 500"
        params += list(_WEIGHTS)
        with self._lock:
            found = self._db.execute(sql, params).fetchall()
        wanted = query.strip()
        hits = []
        for rowid, rank in found:
            entity = self.entities[self._iris[rowid]]
            likeness = max([name_likeness(wanted, text) for text, _ in entity.names + entity.alts] + [
                1.0 if any(wanted in values for values in entity.identifiers.values()) else 0.0])
            # bm25 is negative, better when lower; a name (nearly) equal to the query, or its identifier, goes first.
            hits.append(Hit(entity, -rank + 100.0 * likeness, likeness >= 0.8))
        hits.sort(key=lambda h: (-h.score, h.entity.name()))
        return hits[offset:] if limit is None else hits[offset:offset + limit]


def fts_query(query: str, *, prefix: bool = True, joiner: str = " AND ") -> str:
    """The FTS5 expression for a user's words: each word in any label column (folded too if it is ASCII).

    >>> fts_query("Høylandet")
    '({name exact stem ids descr} : "høylandet"* OR {stem descr} : "høyland"*)'
    """
    tokens = words(query)
    parts = []
    for position, token in enumerate(tokens):
        star = "*" if prefix and position == len(tokens) - 1 else ""
        columns = "{name exact stem ids descr}" if _KEEP & set(token) else "{name exact stem folded ids descr}"
        alternatives = [f'{columns} : "{token}"{star}']
        stem = stems([token], None)[0]
        if stem != token:
            alternatives.append(f'{{stem descr}} : "{stem}"*')
        parts.append("(" + " OR ".join(alternatives) + ")")
    return joiner.join(parts)


def _gather(store, base: str) -> dict[str, Entity]:
    """Every IRI with a name, alternative name, description or identifier in the data, ontology and inferences
    (the shapes and the loader's meta graph are not things to search for)."""
    skip = (graph_base(base) + "shapes/", meta_graph(base))
    predicates = NAME_PREDICATES + ALT_PREDICATES + DESCRIPTION_PREDICATES + IDENTIFIER_PREDICATES
    listed = " ".join(f"<{p}>" for p in predicates)
    entities: dict[str, Entity] = {}
    ranked: dict[str, list[tuple[int, tuple[str, str | None]]]] = {}
    rows = store.query(
        f"SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?p {{ {listed} }} "
        f"FILTER(isIRI(?s) && isLiteral(?o) && !STRSTARTS(STR(?g), \"{skip[0]}\") && ?g != <{skip[1]}>) }}"
    ).rows()
    for row in rows:
        iri, predicate, value = row["s"].value, row["p"].value, row["o"]
        entity = entities.setdefault(iri, Entity(iri))
        pair = (value.value, value.lang or None)
        if predicate in NAME_PREDICATES:
            ranked.setdefault(iri, []).append((NAME_PREDICATES.index(predicate), pair))
        elif predicate in ALT_PREDICATES:
            entity.alts.append(pair)
        elif predicate in DESCRIPTION_PREDICATES:
            entity.descriptions.append(pair)
        else:
            entity.identifiers.setdefault(predicate, []).append(value.value)
    for iri, names in ranked.items():  # the preferred label first, then rdfs:label, titles, names
        entities[iri].names = [pair for _, pair in sorted(names, key=lambda item: item[0])]
    link_list = " ".join(f"<{p}>" for p in LINK_PREDICATES)
    for row in store.query(f"SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?p {{ {link_list} }} "
                           "FILTER(isIRI(?o)) }").rows():
        if row["s"].value in entities:
            entities[row["s"].value].identifiers.setdefault(row["p"].value, []).append(row["o"].value)
    for row in store.query(f"SELECT DISTINCT ?s ?t WHERE {{ GRAPH ?g {{ ?s <{RDF}type> ?t }} FILTER(isIRI(?t)) }}"
                           ).rows():
        if row["s"].value in entities:
            entities[row["s"].value].types.add(row["t"].value)
    return entities


def _superclasses(store) -> dict[str, set[str]]:
    """Each class's superclasses (transitively), from rdfs:subClassOf in any graph."""
    direct: dict[str, set[str]] = {}
    for row in store.query(f"SELECT DISTINCT ?c ?d WHERE {{ GRAPH ?g {{ ?c <{RDFS}subClassOf> ?d }} "
                           "FILTER(isIRI(?c) && isIRI(?d)) }").rows():
        direct.setdefault(row["c"].value, set()).add(row["d"].value)
    closure: dict[str, set[str]] = {}
    for start, parents in direct.items():
        seen: set[str] = set()
        todo = list(parents)
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(direct.get(current, ()))
        closure[start] = seen
    return closure


def to_json(hit: Hit, lang: str, index: SearchIndex) -> dict:
    entity = hit.entity
    return {
        "iri": entity.iri,
        "name": entity.name(lang),
        "description": entity.description(lang),
        "score": round(hit.score, 3),
        "types": [{"iri": t, "name": index.entities[t].name(lang) if t in index.entities else t}
                  for t in sorted(entity.types) if t.startswith(HG)],
        "labels": [{"value": text, "lang": text_lang} for text, text_lang in entity.names + entity.alts],
    }


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)
