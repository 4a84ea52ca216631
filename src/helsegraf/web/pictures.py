"""Pictures drawn from the graph on each request, as server-side SVG (every text is XML-escaped):

* ``/pictures/org-chart.svg?unit=IRI&date=YYYY-MM-DD`` — the units under an organisation on a given day, from
  ``org:unitOf`` / ``org:hasUnit`` and dated ``org:Membership``, filtered by ``hg:validFrom``/``hg:validUntil``
  (inclusive, absent = open; see the ontology's header);
* ``/pictures/health-community.svg?community=IRI`` — a helsefellesskap's bodies (``hg:hasBody``, with
  ``hg:handlesCasesFrom`` arrows) and members (``org:hasMember`` and ``org:Membership`` with roles);
* ``/pictures/care-staircase.svg?staircase=IRI`` — a ``hg:CareStaircase``'s steps in list order, each with the
  services and units that name that step (or a step that ``skos:closeMatch``es it) and its ``skos:example``s.

``/pictures`` is an HTML page that shows all three, with forms to choose the date, unit and community.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from flask import Blueprint, Response, abort, render_template, request

from ..namespaces import HG, ORG, RDF, RDFS, SKOS
from . import current_settings, current_store
from .linked_data import labels_of, local_href, prefixes, short_iri, sparql_iri
from .ui import page_lang, words

bp = Blueprint("pictures", __name__)

#: What the pictures show when nothing is chosen: the examples the issue asks for (seeds 002 and 003).
DEFAULT_UNIT = "id/unit/levanger-helse-og-velferd"
DEFAULT_DATES = ("2023-12-31", "2024-01-01")
DEFAULT_COMMUNITY = "id/health-community/helse-bergen"
PREFERRED_STAIRCASE = "id/concept/omsorgstrappa-eksempel-eigersund"

FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\""
COLOURS = {"root": "#14405e", "node": "#e8f1f8", "line": "#1f5f8b", "text": "#1b1b1b", "soft": "#f4f7fa",
           "proposed": "#fff4d6"}


class Svg:
    """A small SVG writer: every text and attribute value goes through XML escaping."""

    def __init__(self, width: int, height: int, title: str):
        self.width, self.height, self.parts = width, height, []
        self.title = title

    def add(self, tag: str, text: str | None = None, **attrs) -> None:
        attributes = " ".join(f"{k.rstrip('_').replace('_', '-')}={quoteattr(str(v))}" for k, v in attrs.items())
        if text is None:
            self.parts.append(f"<{tag} {attributes}/>")
        else:
            self.parts.append(f"<{tag} {attributes}>{escape(text)}</{tag}>")

    def link_open(self, href: str) -> None:
        self.parts.append(f"<a href={quoteattr(href)} target=\"_top\">")

    def link_close(self) -> None:
        self.parts.append("</a>")

    def text_lines(self, x: float, y: float, lines: list[str], size: int = 13, weight: str = "normal",
                   fill: str = COLOURS["text"], anchor: str = "start") -> None:
        for i, line in enumerate(lines):
            self.add("text", line, x=x, y=y + i * (size + 3), font_size=size, font_weight=weight, fill=fill,
                     text_anchor=anchor)

    def render(self) -> str:
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
                f'viewBox="0 0 {self.width} {self.height}" role="img" {FONT}>'
                f"<title>{escape(self.title)}</title>"
                f'<rect x="0" y="0" width="{self.width}" height="{self.height}" fill="#ffffff"/>'
                '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
                f'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{COLOURS["line"]}"/></marker></defs>')
        return head + "".join(self.parts) + "</svg>"


def wrap(text: str, width: int) -> list[str]:
    """Break ``text`` into lines of at most ``width`` characters (words longer than that are cut).

    >>> wrap("Enhet institusjons- og hjemmetjenester", 20)
    ['Enhet institusjons-', 'og hjemmetjenester']
    """
    lines, current = [], ""
    for word in text.split():
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width - 1] + "…")
            word = ""
        if not word:
            continue
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines or [""]


def svg_response(svg: Svg) -> Response:
    return Response(svg.render(), mimetype="image/svg+xml",
                    headers={"Vary": "Accept-Language", "Cache-Control": "no-cache"})


def _iri_param(name: str, default_path: str) -> str:
    base = current_settings().base
    value = request.args.get(name, "").strip()
    iri = value or base + default_path
    sparql_iri(iri)  # refuses anything that is not a plain IRI
    return iri


def _date_param(value: str | None, default: str) -> str:
    text = (value or default).strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        abort(400, description=f"'{text}' is not a date (YYYY-MM-DD)")


def _label(labels: dict, iri: str) -> str:
    term = labels.get(iri)
    return term.value if term else short_iri(iri, prefixes())


# --- organisation chart -----------------------------------------------------------------------------------

#: Bounds that keep a picture readable and its queries small on a national graph (issue 11): sub-units per unit
#: drawn in an org chart, services named per care-staircase step, units offered in the page's chooser.
MAX_CHILDREN = 25
MAX_PER_STEP = 12
MAX_CHOICES = 500


@dataclass
class OrgNode:
    iri: str
    kind: str = ""
    children: list[OrgNode] = field(default_factory=list)
    omitted: int = 0  # sub-units not drawn (past MAX_CHILDREN)


def units_on(parent: str, day: str) -> list[tuple[str, str]]:
    """The direct sub-units of ``parent`` valid on ``day``, with their most specific hg: or org: type."""
    d = f'"{day}"^^<http://www.w3.org/2001/XMLSchema#date>'
    valid = (f"OPTIONAL {{ ?child <{HG}validFrom> ?f }} OPTIONAL {{ ?child <{HG}validUntil> ?u }} "
             f"FILTER(!BOUND(?f) || ?f <= {d}) FILTER(!BOUND(?u) || ?u >= {d})")
    query = f"""
    SELECT DISTINCT ?child ?type WHERE {{
      {{ ?child <{ORG}unitOf> {sparql_iri(parent)} }} UNION {{ {sparql_iri(parent)} <{ORG}hasUnit> ?child }}
      UNION {{ ?m <{ORG}organization> {sparql_iri(parent)} ; <{ORG}member> ?child .
               OPTIONAL {{ ?m <{HG}validFrom> ?mf }} OPTIONAL {{ ?m <{HG}validUntil> ?mu }}
               FILTER(!BOUND(?mf) || ?mf <= {d}) FILTER(!BOUND(?mu) || ?mu >= {d}) }}
      {valid}
      OPTIONAL {{ GRAPH ?g {{ ?child <{RDF}type> ?type }} FILTER(?g != <{current_settings().base}graph/inferred>) }}
    }}"""
    kinds: dict[str, str] = {}
    for row in current_store().query(query).rows():
        child = row["child"].value
        if row["child"].kind != "uri" or child == parent:
            continue
        kind = row["type"].value if row.get("type") else ""
        if child not in kinds or (kind.startswith(HG) and not kinds[child].startswith(HG)):
            kinds[child] = kind
    return sorted(kinds.items())


def org_tree(root: str, day: str, depth: int = 3) -> OrgNode:
    node, seen = OrgNode(root), {root}

    def grow(parent: OrgNode, level: int) -> None:
        if level >= depth:
            return
        found = units_on(parent.iri, day)
        parent.omitted = max(0, len(found) - MAX_CHILDREN)
        for child, kind in found[:MAX_CHILDREN]:
            if child in seen:
                continue
            seen.add(child)
            sub = OrgNode(child, kind)
            parent.children.append(sub)
            grow(sub, level + 1)

    grow(node, 0)
    return node


def draw_org_chart(root: OrgNode, day: str, lang: str) -> Svg:
    """An indented org chart: each unit a box under its parent, joined by elbow lines."""
    rows: list[tuple[int, OrgNode]] = []

    def walk(node: OrgNode, level: int) -> None:
        rows.append((level, node))
        for child in sorted(node.children, key=lambda c: (c.kind, c.iri)):
            walk(child, level + 1)
        if node.omitted:  # a row that says how many more there are, linking to the unit's page
            rows.append((level + 1, OrgNode(node.iri, "", [], -node.omitted)))

    walk(root, 0)
    iris = [n.iri for _, n in rows] + [n.kind for _, n in rows if n.kind]
    labels = labels_of(iris, lang)
    base = current_settings().base
    box_w, row_h, indent, top = 480, 46, 36, 56
    width = 40 + indent * max(level for level, _ in rows) + box_w + 180
    height = top + row_h * len(rows) + 20
    title = words(lang)["org_chart_caption"].format(unit=_label(labels, root.iri), date=day)
    svg = Svg(width, height, title)
    svg.add("text", title, x=20, y=30, font_size=18, font_weight="bold", fill=COLOURS["text"])
    positions: dict[str, tuple[int, int]] = {}
    parents = {id(c): n for _, n in rows for c in n.children}
    for i, (level, node) in enumerate(rows):
        x, y = 20 + level * indent, top + i * row_h
        if node.omitted < 0:
            svg.link_open(local_href(node.iri, base) + "#inverse")
            svg.add("text", words(lang)["more_units"].format(n=-node.omitted), x=x + 10, y=y + 23, font_size=13,
                    fill=COLOURS["line"], font_style="italic")
            svg.link_close()
            continue
        positions[node.iri] = (x, y)
        parent = parents.get(id(node))
        if parent is not None:
            px, py = positions[parent.iri]
            svg.add("path", d=f"M {px + 14} {py + 36} V {y + 18} H {x}", fill="none", stroke=COLOURS["line"],
                    stroke_width=1.5)
        is_root = level == 0
        svg.link_open(local_href(node.iri, base))
        svg.add("rect", x=x, y=y, width=box_w, height=36, rx=5, fill=COLOURS["root"] if is_root else COLOURS["node"],
                stroke=COLOURS["line"], stroke_width=1)
        svg.add("text", _label(labels, node.iri)[:64], x=x + 10, y=y + 23, font_size=14,
                font_weight="bold" if is_root else "normal", fill="#ffffff" if is_root else COLOURS["text"])
        svg.link_close()
        if node.kind:
            svg.add("text", _label(labels, node.kind), x=x + box_w + 10, y=y + 23, font_size=12, fill="#4a4a4a")
    return svg


@bp.route("/pictures/org-chart.svg")
def org_chart_svg():
    lang = page_lang()
    unit = _iri_param("unit", DEFAULT_UNIT)
    day = _date_param(request.args.get("date"), DEFAULT_DATES[1])
    return svg_response(draw_org_chart(org_tree(unit, day), day, lang))


# --- health community -------------------------------------------------------------------------------------

def community_parts(community: str) -> dict:
    c = sparql_iri(community)
    store = current_store()
    bodies = {row["b"].value: (row["status"].value if row.get("status") else "") for row in store.query(f"""
        SELECT DISTINCT ?b ?status WHERE {{
          {{ {c} <{HG}hasBody> ?b }} UNION {{ ?b <{ORG}unitOf> {c} . ?b a/<{RDFS}subClassOf>* <{HG}HealthCommunityBody> }}
          OPTIONAL {{ ?b <{HG}lifecycleStatus> ?status }}
        }}""").rows()}
    links = [(row["a"].value, row["b"].value) for row in store.query(f"""
        SELECT DISTINCT ?a ?b WHERE {{ ?a <{HG}handlesCasesFrom> ?b }}""").rows()
        if row["a"].value in bodies and row["b"].value in bodies]
    members: dict[str, set[str]] = {}
    for row in store.query(f"""
        SELECT DISTINCT ?m ?role WHERE {{
          {{ {c} <{ORG}hasMember> ?m }} UNION
          {{ ?ms <{ORG}organization> {c} ; <{ORG}member> ?m . OPTIONAL {{ ?ms <{ORG}role> ?role }} }}
        }}""").rows():
        if row["m"].kind == "uri":
            roles = members.setdefault(row["m"].value, set())
            if row.get("role") is not None and row["role"].kind == "uri":
                roles.add(row["role"].value)
    return {"bodies": bodies, "links": links, "members": members}


def draw_health_community(community: str, lang: str) -> Svg:
    parts = community_parts(community)
    iris = [community] + list(parts["bodies"]) + list(parts["members"]) + \
        [r for roles in parts["members"].values() for r in roles] + [HG + "StatusProposed"]
    labels = labels_of(iris, lang)
    base = current_settings().base
    t = words(lang)
    bodies = sorted(parts["bodies"], key=lambda b: _label(labels, b))
    members = sorted(parts["members"], key=lambda m: (not m.startswith(base + "id/health-trust/"), _label(labels, m)))
    row_h, top = 34, 110
    body_w, member_w = 420, 420
    left_x, right_x = 40, 40 + body_w + 160
    height = top + row_h * max(len(bodies), len(members), 1) + 40
    width = right_x + member_w + 40
    title = _label(labels, community)
    svg = Svg(width, height, title)
    svg.link_open(local_href(community, base))
    svg.add("rect", x=20, y=14, width=width - 40, height=44, rx=6, fill=COLOURS["root"])
    svg.add("text", title[:110], x=width / 2, y=42, font_size=17, font_weight="bold", fill="#ffffff", text_anchor="middle")
    svg.link_close()
    svg.add("text", f"{t['bodies']} ({len(bodies)})", x=left_x, y=top - 18, font_size=15, font_weight="bold")
    svg.add("text", f"{t['members']} ({len(members)})", x=right_x, y=top - 18, font_size=15, font_weight="bold")
    if not bodies:
        svg.add("text", t["no_items"], x=left_x, y=top + 20, font_size=13, fill="#4a4a4a")
    body_pos = {}
    for i, body in enumerate(bodies):
        y = top + i * row_h
        body_pos[body] = y
        proposed = parts["bodies"][body] == HG + "StatusProposed"
        svg.link_open(local_href(body, base))
        svg.add("rect", x=left_x, y=y, width=body_w, height=row_h - 8, rx=4,
                fill=COLOURS["proposed"] if proposed else COLOURS["node"], stroke=COLOURS["line"],
                stroke_dasharray="5 3" if proposed else "none")
        text = _label(labels, body)[:52] + (f" ({_label(labels, HG + 'StatusProposed')})" if proposed else "")
        svg.add("text", text, x=left_x + 8, y=y + 18, font_size=13)
        svg.link_close()
    for a, b in parts["links"]:  # a handles cases from b: arrow from b to a, drawn on the left side
        ya, yb = body_pos[a] + (row_h - 8) / 2, body_pos[b] + (row_h - 8) / 2
        bend = left_x - 14 - 6 * (abs(bodies.index(a) - bodies.index(b)) % 4)
        svg.add("path", d=f"M {left_x} {yb} C {bend} {yb}, {bend} {ya}, {left_x} {ya}", fill="none",
                stroke=COLOURS["line"], stroke_width=1.5, marker_end="url(#arrow)")
    for i, member in enumerate(members):
        y = top + i * row_h
        svg.link_open(local_href(member, base))
        svg.add("rect", x=right_x, y=y, width=member_w, height=row_h - 8, rx=4, fill=COLOURS["soft"],
                stroke=COLOURS["line"])
        roles = ", ".join(sorted(_label(labels, r) for r in parts["members"][member]))
        svg.add("text", (_label(labels, member) + (f" – {roles}" if roles else ""))[:60], x=right_x + 8, y=y + 18,
                font_size=13)
        svg.link_close()
        svg.add("line", x1=right_x - 60, y1=y + (row_h - 8) / 2, x2=right_x, y2=y + (row_h - 8) / 2,
                stroke="#9fb3c8", stroke_width=1)
    if members:
        svg.add("line", x1=right_x - 60, y1=top + (row_h - 8) / 2, x2=right_x - 60,
                y2=top + (len(members) - 1) * row_h + (row_h - 8) / 2, stroke="#9fb3c8", stroke_width=1)
        svg.add("line", x1=right_x - 60, y1=58, x2=right_x - 60, y2=top, stroke="#9fb3c8", stroke_width=1)
    return svg


@bp.route("/pictures/health-community.svg")
def health_community_svg():
    return svg_response(draw_health_community(_iri_param("community", DEFAULT_COMMUNITY), page_lang()))


# --- care staircase ---------------------------------------------------------------------------------------

def staircases() -> list[str]:
    """Care staircases that list their steps, the project's generic one first."""
    base = current_settings().base
    found = [row["s"].value for row in current_store().query(
        f"SELECT DISTINCT ?s WHERE {{ ?s a <{HG}CareStaircase> ; <{SKOS}memberList> ?l }} ORDER BY ?s").rows()]
    preferred = base + PREFERRED_STAIRCASE
    return sorted(found, key=lambda s: s != preferred)


def staircase_steps(staircase: str) -> list[dict]:
    s = sparql_iri(staircase)
    store = current_store()
    steps = [row["step"].value for row in store.query(f"""
        SELECT ?step (COUNT(?mid) AS ?pos) WHERE {{
          {s} <{SKOS}memberList> ?list . ?list <{RDF}rest>* ?mid . ?mid <{RDF}rest>* ?node . ?node <{RDF}first> ?step
        }} GROUP BY ?step ORDER BY ?pos""").rows()]
    result = []
    for step in steps:
        st = sparql_iri(step)
        # The steps that closeMatch this one first (a handful), then the services naming any of them: one
        # UNION over all three patterns reads every service of the step once per branch (1 s a step at 1M).
        close = [row["o"].value for row in store.query(
            f"SELECT DISTINCT ?o WHERE {{ {{ ?o <{SKOS}closeMatch> {st} }} UNION {{ {st} <{SKOS}closeMatch> ?o }} "
            f"FILTER(isIRI(?o)) }}").rows()]
        naming = f"VALUES ?step {{ {' '.join(sparql_iri(x) for x in [step] + close)} }} " \
                 f"?x <{HG}careStaircaseStep> ?step FILTER(isIRI(?x))"
        counted = list(store.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {naming} }}").rows())
        total = int(counted[0]["n"].value) if counted else 0
        things = sorted(row["x"].value for row in store.query(
            f"SELECT DISTINCT ?x WHERE {{ {naming} }} LIMIT {MAX_PER_STEP}").rows())
        examples = sorted({row["e"].value for row in store.query(
            f"SELECT ?e WHERE {{ {st} <{SKOS}example> ?e }}").rows()})
        notation = [row["n"].value for row in store.query(f"SELECT ?n WHERE {{ {st} <{SKOS}notation> ?n }}").rows()]
        result.append({"iri": step, "things": things, "examples": examples, "omitted": total - len(things),
                       "notation": notation[0] if notation else str(len(result) + 1)})
    return result


def draw_care_staircase(staircase: str, lang: str) -> Svg:
    steps = staircase_steps(staircase)
    iris = [staircase] + [s["iri"] for s in steps] + [x for s in steps for x in s["things"]]
    labels = labels_of(iris, lang)
    base = current_settings().base
    t = words(lang)
    n = max(len(steps), 1)
    col_w, step_h, top = 210, 34, 70
    stairs_h = step_h * n
    list_lines = max([len(s["things"]) * 2 + len(s["examples"]) * 2 + 3 for s in steps] + [4])
    width = 40 + col_w * n
    height = top + stairs_h + 30 + list_lines * 16 + 60
    title = _label(labels, staircase)
    svg = Svg(width, height, title)
    svg.add("text", title[:110], x=20, y=34, font_size=18, font_weight="bold")
    ground = top + stairs_h
    for i, step in enumerate(steps):
        x = 20 + i * col_w
        h = step_h * (i + 1)
        shade = 232 - int(110 * i / max(n - 1, 1))
        fill = f"#{shade // 2:02x}{(shade + 40) // 2:02x}{min(shade + 60, 255):02x}"
        svg.link_open(local_href(step["iri"], base))
        svg.add("rect", x=x, y=ground - h, width=col_w - 4, height=h, fill=fill, stroke=COLOURS["line"])
        svg.add("text", step["notation"], x=x + 10, y=ground - h + 24, font_size=18, font_weight="bold",
                fill="#ffffff")
        svg.link_close()
        y = ground + 24
        svg.text_lines(x + 2, y, wrap(_label(labels, step["iri"]), 23)[:3], size=13, weight="bold")
        y += 3 * 16 + 6
        for thing in step["things"]:
            svg.link_open(local_href(thing, base))
            lines = wrap("▸ " + _label(labels, thing), 26)[:2]
            svg.text_lines(x + 2, y, lines, size=12, fill=COLOURS["line"])
            svg.link_close()
            y += 15 * len(lines) + 2
        if step["omitted"]:
            svg.link_open(local_href(step["iri"], base) + "#inverse")
            svg.add("text", t["more_units"].format(n=step["omitted"]), x=x + 2, y=y, font_size=12,
                    fill=COLOURS["line"], font_style="italic")
            svg.link_close()
            y += 17
        for example in step["examples"]:
            for line in wrap("· " + example, 28)[:2]:
                svg.add("text", line, x=x + 2, y=y, font_size=12, fill="#4a4a4a", font_style="italic")
                y += 15
    svg.add("text", f"▸ {t['services']}   · {t['examples_label']}", x=20, y=height - 16, font_size=12, fill="#4a4a4a")
    return svg


@bp.route("/pictures/care-staircase.svg")
def care_staircase_svg():
    lang = page_lang()
    chosen = request.args.get("staircase", "").strip()
    if chosen:
        sparql_iri(chosen)
    else:
        found = staircases()
        if not found:
            abort(404, description="the graph holds no hg:CareStaircase with a skos:memberList")
        chosen = found[0]
    return svg_response(draw_care_staircase(chosen, lang))


# --- the page ---------------------------------------------------------------------------------------------

def _choices(query: str, lang: str, keep: str | None = None) -> list[tuple[str, str]]:
    """At most MAX_CHOICES options for a chooser (``keep`` always among them), labelled and sorted."""
    iris = [row["x"].value for row in current_store().query(f"{query} LIMIT {MAX_CHOICES}").rows()
            if row["x"].kind == "uri"]
    if keep and keep not in iris:
        iris.append(keep)
    labels = labels_of(iris, lang)
    return sorted(((iri, _label(labels, iri)) for iri in iris), key=lambda pair: pair[1].lower())


@bp.route("/pictures")
def pictures_page():
    """The three pictures, with GET forms (no JavaScript needed) to choose what they show."""
    lang = page_lang()
    base = current_settings().base
    unit = _iri_param("unit", DEFAULT_UNIT)
    community = _iri_param("community", DEFAULT_COMMUNITY)
    dates = [_date_param(request.args.get("date"), DEFAULT_DATES[0])] if request.args.get("date") else list(DEFAULT_DATES)
    # Organisations that have units (org:FormalOrganization heads a tree in W3C ORG), plus the chosen unit: on
    # a national graph the 37,000 parent units would make a chooser no one can use (and a NOT EXISTS over them
    # takes 0.6 s at 1M; the typed query takes 12 ms). Any unit is still drawn with ?unit=IRI.
    units = _choices(f"SELECT DISTINCT ?x WHERE {{ ?x a <{ORG}FormalOrganization> "
                     f"FILTER EXISTS {{ ?c <{ORG}unitOf> ?x }} }}", lang, keep=unit)
    communities = _choices(f"SELECT DISTINCT ?x WHERE {{ ?x a <{HG}HealthCommunity> }} ORDER BY ?x", lang,
                           keep=community)
    stairs = staircases()
    stair_labels = labels_of(stairs, lang)
    lang_q = "&lang=en" if lang == "en" else ""
    from urllib.parse import quote

    return render_template(
        "pictures.html",
        unit=unit, community=community, dates=dates, units=units, communities=communities,
        unit_label=dict(units).get(unit, short_iri(unit, prefixes())),
        staircases=[(s, _label(stair_labels, s)) for s in stairs],
        org_urls=[(d, f"/pictures/org-chart.svg?unit={quote(unit, safe='')}&date={d}{lang_q}") for d in dates],
        community_url=f"/pictures/health-community.svg?community={quote(community, safe='')}{lang_q}",
        staircase_urls=[(s, f"/pictures/care-staircase.svg?staircase={quote(s, safe='')}{lang_q}") for s in stairs],
        base=base,
    )
