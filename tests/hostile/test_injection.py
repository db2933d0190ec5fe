"""Script injection: every field that reaches a page is escaped there; bodies are sanitised;
URLs other than http, https and mailto are refused with their file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from atlas.pipeline import Options, check
from conftest import build_tree, write_tree
from hostile_kit import MARK, html_files, scan


def payload(field: str) -> str:
    """Markup that would run script in text, in an attribute value or in a URL, tagged by field."""
    return f"<script>alert('{MARK}-{field}')</script><img src=x onerror=\"alert('{MARK}-{field}')\">"


def q(text: str) -> str:
    """A YAML single-quoted scalar."""
    return "'" + text.replace("'", "''") + "'"


P = {name: q(payload(name)) for name in (
    "theme-title", "theme-summary", "france-title", "lille-title", "place-title", "place-summary", "address",
    "accessibility", "city", "access-0", "access-1", "actor-title", "actor-summary", "source-title",
    "source-publisher", "programme-title", "programme-summary", "page-title", "page-summary")}

FIELDS = {
    "content/themes/finance.md": f"---\ntitle: {P['theme-title']}\nsummary: {P['theme-summary']}\n---\n",
    "content/territories/france.md": f"---\ntitle: {P['france-title']}\ntype: pays\n---\n",
    "content/territories/lille.md": f"---\ntitle: {P['lille-title']}\ntype: commune\nparent: france\n---\n",
    "content/places/lieu.md": f"""---
title: {P['place-title']}
summary: {P['place-summary']}
type: tiers-lieu
address: {P['address']}
postcode: "59000"
accessibility: {P['accessibility']}
city: {P['city']}
access: [{P['access-0']}, {P['access-1']}]
territory: lille
themes: [finance]
website: 'https://example.org/?q="><script>alert(''{MARK}-website'')</script>'
---
""",
    "content/actors/acteur.md": f"""---
title: {P['actor-title']}
summary: {P['actor-summary']}
type: association
themes: [finance]
territory: lille
places: [lieu]
partners: [autre]
sources:
  - title: {P['source-title']}
    publisher: {P['source-publisher']}
    url: 'https://example.org/"onmouseover="alert(''{MARK}-source-url'')'
    date: 2024-01-31
---
Texte.
""",
    "content/actors/autre.md": "---\ntitle: Autre structure\ntype: association\n---\n",
    "content/programmes/prog.md": f"---\ntitle: {P['programme-title']}\nsummary: {P['programme-summary']}\n"
                                  "type: fonds\noperators: [acteur]\n---\n",
    "content/pages/a-propos.md": f"---\ntitle: {P['page-title']}\nsummary: {P['page-summary']}\n---\nÀ propos.\n",
    "content/pages/accueil.md": f"---\ntitle: Accueil\n---\nBienvenue {MARK}-intro <script>alert('{MARK}')</script>\n",
}

# field -> every page that shows it (entry pages, cards on list pages, the A–Z index, home).
SHOWN = {
    "theme-title": ["thematiques/finance/", "thematiques/", "", "a-z/", "acteurs/acteur/", "acteurs/"],
    "theme-summary": ["thematiques/finance/", "thematiques/", "", "a-z/"],
    "france-title": ["territoires/france/", "territoires/", "territoires/lille/", "a-z/"],
    "lille-title": ["territoires/lille/", "territoires/", "acteurs/acteur/", "lieux/lieu/", "a-z/"],
    "place-title": ["lieux/lieu/", "lieux/", "lieux/types/tiers-lieu/", "a-z/", "acteurs/acteur/"],
    "place-summary": ["lieux/lieu/", "lieux/", "a-z/"],
    "address": ["lieux/lieu/"], "accessibility": ["lieux/lieu/"], "city": ["lieux/lieu/"],
    "access-0": ["lieux/lieu/"], "access-1": ["lieux/lieu/"],
    "actor-title": ["acteurs/acteur/", "acteurs/", "acteurs/types/association/", "a-z/", "acteurs/autre/",
                    "lieux/lieu/", "programmes/prog/", "thematiques/finance/", "territoires/lille/",
                    "territoires/france/"],
    "actor-summary": ["acteurs/acteur/", "acteurs/", "a-z/", "acteurs/autre/"],
    "source-title": ["acteurs/acteur/"], "source-publisher": ["acteurs/acteur/"],
    "programme-title": ["programmes/prog/", "programmes/", "a-z/", "acteurs/acteur/"],
    "programme-summary": ["programmes/prog/", "programmes/"],
    "page-title": ["a-propos/"], "page-summary": ["a-propos/"],
}

# Raw HTML and Markdown in bodies, including obfuscations browsers still read as script.
BODIES = {
    "script": f"<script>alert('{MARK}')</script>",
    "script-case": f"<ScRiPt>alert('{MARK}')</sCrIpT>",
    "script-split": f"<scr<script>ipt>alert('{MARK}')</script>",
    "iframe": f"<iframe src=\"https://evil.example/{MARK}\"></iframe>",
    "img-onerror": f"<img src=x onerror=\"alert('{MARK}')\">",
    "p-onmouseover": f"<p onmouseover=\"alert('{MARK}')\">survol</p>",
    "svg-onload": f"<svg onload=\"alert('{MARK}')\"><circle r=1 /></svg>",
    "math-href": f"<math><mi xlink:href=\"javascript:alert('{MARK}')\">x</mi></math>",
    "href-javascript": f"<a href=\"javascript:alert('{MARK}')\">lien</a>",
    "href-case": f"<a href=\"JaVaScRiPt:alert('{MARK}')\">lien</a>",
    "href-tab-entity": f"<a href=\"jav&#x09;ascript:alert('{MARK}')\">lien</a>",
    "href-newline-entity": f"<a href=\"java&#10;script:alert('{MARK}')\">lien</a>",
    "href-decimal-entities": "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;"
                             f"alert('{MARK}')\">lien</a>",
    "href-colon-entity": f"<a href=\"javascript&colon;alert('{MARK}')\">lien</a>",
    "href-leading-space": f"<a href=\"  \x01javascript:alert('{MARK}')\">lien</a>",
    "href-vbscript": f"<a href=\"vbscript:msgbox('{MARK}')\">lien</a>",
    "href-data": f"<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgncHduJyk8L3NjcmlwdD4=#{MARK}\">lien</a>",
    "img-data": f"<img src=\"data:image/svg+xml,&lt;svg onload=alert('{MARK}')&gt;\" alt=\"x\">",
    "object": f"<object data=\"javascript:alert('{MARK}')\"></object><embed src=\"/{MARK}.swf\">",
    "form": f"<form action=\"javascript:alert('{MARK}')\"><button formaction=\"javascript:x\">ok</button></form>",
    "meta-refresh": f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('{MARK}')\">",
    "base": f"<base href=\"javascript:alert('{MARK}')//\">",
    "style": f"<style>body {{ background: url('javascript:alert(\"{MARK}\")') }}</style>"
             f"<div style=\"background:url(javascript:alert('{MARK}'))\">fond</div>",
    "comment": f"<!-- --><script>alert('{MARK}')</script><!-- -->",
    "cdata": f"<![CDATA[<script>alert('{MARK}')</script>]]>",
    "md-link": f"[clic](javascript:alert('{MARK}'))",
    "md-link-case": f"[clic](JAVASCRIPT:alert('{MARK}'))",
    "md-link-angle": f"[clic](<javascript:alert('{MARK}')>)",
    "md-link-entity": f"[clic](jav&#x09;ascript:alert('{MARK}'))",
    "md-image": f"![image](javascript:alert('{MARK}'))",
    "md-reference": f"[clic][r]\n\n[r]: javascript:alert('{MARK}')",
    "md-data": f"[clic](data:text/html,<script>alert('{MARK}')</script>)",
    "md-autolink": f"<javascript:alert('{MARK}')>",
    "md-attr-list": f"[clic](https://example.org/){{: onclick=\"alert('{MARK}')\" href=\"javascript:alert('{MARK}')\" }}",
    "md-in-html": f"<div markdown=\"1\" onclick=\"alert('{MARK}')\">**gras**</div>",
    "md-heading-attr": f"## Titre {{: onmouseover=\"alert('{MARK}')\" }}",
    "cross-link-fragment": f"[autre](acteur:autre#\"onmouseover=alert('{MARK}'))",
}


JSONLD = re.compile(r'(?<=<script type="application/ld\+json">).*?(?=</script>)', re.S)


def _page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = dict(FIELDS)
    for i, (name, body) in enumerate(BODIES.items()):
        files[f"content/actors/corps-{i:02d}.md"] = (f"---\ntitle: Corps {name}\n---\nAvant sentinelle-{name}.\n\n"
                                                     f"{body}\n\nAprès.\n")
    # The payloads' links lead nowhere on purpose (an image 'x', a fragment that is a script).
    root = write_tree(tmp_path_factory.mktemp("injection"), {"atlas.yaml": "links: warn\n"})
    for rel, text in files.items():  # not dedented: payloads are exact
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    result = build_tree(root)
    assert result.report.ok, result.report.lines()
    return root / "site"


@pytest.mark.parametrize(("field", "url"), [(f, u) for f, urls in SHOWN.items() for u in urls])
def test_field_is_shown_escaped(site: Path, field: str, url: str) -> None:
    findings, text = scan(_page(site, url))
    assert findings == []
    assert payload(field) in text, f"{field} does not show on /{url}: the test would prove nothing"


def test_no_page_of_the_site_carries_script(site: Path) -> None:
    pages = html_files(site)
    assert len(pages) > 40
    for path in pages:
        html = path.read_text(encoding="utf-8")
        findings, _ = scan(html)
        assert findings == [], path
        # Structured data is JSON inside a script the browser never runs; its `<` are escaped
        # so no text can close it. The scanner parsed it; the raw check covers the rest.
        data = JSONLD.findall(html)
        assert all("<" not in block for block in data), path
        markup = JSONLD.sub("", html)
        assert "<script>alert(" not in markup and "onerror=" not in markup.replace("onerror=&#34;", ""), path


def test_urls_in_attributes_stay_inside_their_quotes(site: Path) -> None:
    html = _page(site, "lieux/lieu/") + _page(site, "acteurs/acteur/")
    assert f"href=\"https://example.org/?q=&#34;&gt;&lt;script&gt;alert(&#39;{MARK}-website&#39;)" in html
    assert f"href=\"https://example.org/&#34;onmouseover=&#34;alert(&#39;{MARK}-source-url&#39;)\"" in html


def test_home_intro_is_sanitised(site: Path) -> None:
    findings, text = scan(_page(site, ""))
    assert findings == [] and f"Bienvenue {MARK}-intro" in text


@pytest.mark.parametrize("name", BODIES)
def test_body_html_is_sanitised(site: Path, name: str) -> None:
    i = list(BODIES).index(name)
    html = _page(site, f"acteurs/corps-{i:02d}/")
    findings, text = scan(html)
    assert findings == []
    assert f"sentinelle-{name}" in text, "the body was not rendered: the test would prove nothing"
    prose = html.split('<div class="prose">', 1)[1].split("</div>\n", 1)[0]
    tags = _tags(prose)  # the sanitised markup, whatever text it displays
    assert "script" not in tags and "data:" not in tags and " on" not in tags and "style" not in tags


def _tags(html: str) -> str:
    """The inside of every tag, without text: where attributes live."""
    import re

    return " ".join(re.findall(r"<[^>]*>", html)).lower()


def test_template_syntax_in_content_is_text(tree) -> None:
    root = tree({"content/actors/a.md": "---\ntitle: \"{{ site.__class__ }} {% raw %}\"\n---\n{{ 7 * 7 }}\n"})
    assert build_tree(root).report.ok
    html = (root / "site/acteurs/a/index.html").read_text(encoding="utf-8")
    assert "<h1>{{ site.__class__ }} {% raw %}</h1>" in html and "{{ 7 * 7 }}" in html and "49" not in html


URLS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:msgbox(1)", "data:text/html,<script>x</script>",
    "file:///etc/passwd", "ftp://example.org/", "//evil.example/x", "evil.example/x",
]


def _check(root: Path) -> list[str]:
    return check(Options(root=root)).report.lines()


@pytest.mark.parametrize("url", URLS + ["java\\tscript:alert(1)", " javascript:alert(1)"])
def test_website_other_than_http_https_mailto_is_an_error(tree, url: str) -> None:
    root = tree({"content/actors/a.md": f"---\ntitle: A\nwebsite: \"{url}\"\n---\n"})
    shown = url.replace("\\t", "\t").strip()
    assert _check(root) == [f"content/actors/a.md:3: website: '{shown}' is not an http, https or mailto URL "
                            "(write the full address, https://…)"]


@pytest.mark.parametrize("url", URLS)
def test_source_url_other_than_http_https_mailto_is_an_error(tree, url: str) -> None:
    root = tree({"content/places/p.md": f"---\ntitle: P\nsources:\n  - title: Source\n    url: \"{url}\"\n---\n"})
    assert _check(root) == [f"content/places/p.md:5: sources.0.url: '{url}' is not an http, https or mailto "
                            "URL (write the full address, https://…)"]


def test_url_without_host_is_an_error(tree) -> None:
    root = tree({"content/actors/a.md": "---\ntitle: A\nwebsite: 'https:javascript:alert(1)'\n---\n"})
    assert _check(root) == ["content/actors/a.md:3: website: 'https:javascript:alert(1)' has no host name "
                            "(write the full address, https://…)"]
