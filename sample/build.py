#!/usr/bin/env python3
"""build.py OUT_DIR - renders vind's sample site (sample/articles, sample/reports) to static HTML.

Why: `make demo` indexes a site we wrote ourselves, shaped like the WordPress-style Hugo theme
of the sites vind serves, so the indexer meets the same boilerplate there as in production:
a header with a search form, a breadcrumb, "Geplaatst op 28 oktober 2021", "Thema's:" and
"Trefwoorden:" link lists, a "Praat mee!" comment form, a sidebar with "Nieuwsbrief" and
"Deelnemende organisaties", listing pages with pagination, an RSS feed and a sitemap.
The PDF reports are written with scripts/mkpdf.py under /rapporten/.

Python standard library only.  Output is deterministic: nothing depends on the clock, the
file system order or a random seed, so two builds give byte-identical trees.

Front matter of sample/articles/<slug>.md, one `key: value` per line between `---` lines,
values in JSON syntax (strings in double quotes, lists in brackets); date may be bare:
    title, date (YYYY-MM-DD or YYYY-MM-DDTHH:MM, optional), lastmod (optional), themes, tags,
    author, description, pdf (optional: file name under /rapporten/ for "Download artikel als PDF").
Body: paragraphs separated by blank lines, "## "/"### " headings, "- " list items, "> " quotes,
[text](url), **bold**, *italic*.
Reports (sample/reports/<file>.md): the same front matter (title, author, date, optional
info_title (the PDF /Title metadata), subtitle, byline, cover: true for a cover page) and a body for mkpdf.parse_text; "~" inside a word marks a hyphenation point.
"""

import datetime
import hashlib
import html
import json
import os
import re
import shutil
import sys
import unicodedata

sys.dont_write_bytecode = True  # importing mkpdf must not leave __pycache__ in the tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "scripts"))
import mkpdf  # noqa: E402  (scripts/ is not a package)

SITE_NAME = "Stichting Zorgzaam Samen"
SITE_TAGLINE = "Samen werken aan zorg die past"
BASE_URL = "https://www.zorgzaamsamen.example"
PER_PAGE = 10

THEMES = [
    "Vernieuwing onderwijs",
    "Wonen en zorg",
    "Digitale zorg",
    "Bestuur en toezicht",
    "Personeel",
    "Cliënt en naaste",
]

PARTICIPANTS = [
    ("'t Zorghuus", "https://www.t-zorghuus.example/"),
    ("Woonzorggroep De Linde", "https://www.delinde.example/"),
    ("Thuiszorg Kennemerland", "https://www.thuiszorgkennemerland.example/"),
    ("Jeugdhulp Rivierenland", "https://www.jeugdhulprivierenland.example/"),
    ("GGZ Groene Hart", "https://www.ggzgroenehart.example/"),
    ("Hogeschool Amstelveld", "https://www.amstelveld.example/"),
]

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december"]
RFC822_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
RFC822_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def slugify(text):
    """'Cliënt en naaste' -> 'client-en-naaste', "'t Zorghuus" -> 't-zorghuus' (as Hugo does)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def esc(text):
    return html.escape(text, quote=True)


# ---------------------------------------------------------------- input

def parse_front_matter(path, text=None):
    """Returns (metadata dict, body text) of a file (or of text, named path) with a --- front matter."""
    if text is None:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    if not text.startswith("---\n"):
        raise SystemExit(f"{path}: no front matter")
    head, _, body = text[4:].partition("\n---\n")
    meta = {}
    for number, line in enumerate(head.splitlines(), start=2):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise SystemExit(f"{path}:{number}: expected 'key: value'")
        value = value.strip()
        if re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d)?)?", value):
            meta[key.strip()] = value
            continue
        try:
            meta[key.strip()] = json.loads(value)
        except json.JSONDecodeError as error:
            raise SystemExit(f"{path}:{number}: {error}")
    return meta, body


def amsterdam_offset(moment):
    """'+01:00' or '+02:00': Dutch summer time runs from the last Sunday of March to that of October."""
    def last_sunday(month):
        day = datetime.date(moment.year, month, 31)
        return day - datetime.timedelta(days=(day.weekday() + 1) % 7)
    summer = last_sunday(3) <= moment.date() < last_sunday(10)
    return "+02:00" if summer else "+01:00"


class Article:
    """One article; path names it (the slug is its base name), text overrides reading the file."""

    def __init__(self, path, text=None):
        self.slug = os.path.splitext(os.path.basename(path))[0]
        meta, self.markdown = parse_front_matter(path, text)
        for key in ("title", "themes", "tags", "author", "description"):
            if key not in meta:
                raise SystemExit(f"{path}: front matter lacks {key}")
        self.title = meta["title"]
        self.themes = meta["themes"]
        self.tags = meta["tags"]
        self.author = meta["author"]
        self.description = meta["description"]
        self.pdf = meta.get("pdf")
        self.date = self._moment(meta.get("date"))
        self.lastmod = self._moment(meta.get("lastmod")) or self.date
        for theme in self.themes:
            if theme not in THEMES:
                raise SystemExit(f"{path}: unknown theme {theme!r}")
        self.url = f"/actueel/{self.slug}/"
        self.body_html = render_markdown(self.markdown)
        self.words = len(re.sub(r"<[^>]+>", " ", self.body_html).split())

    @staticmethod
    def _moment(value):
        if not value:
            return None
        return datetime.datetime.fromisoformat(value)

    def iso(self, moment):
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + amsterdam_offset(moment)

    def dutch_date(self):
        return f"{self.date.day} {MONTHS[self.date.month - 1]} {self.date.year}"

    def sort_key(self):
        # Newest first; undated articles last, by slug (Hugo puts them last too).
        return (0, -self.date.timestamp(), self.slug) if self.date else (1, 0, self.slug)


# ---------------------------------------------------------------- Markdown subset

def render_inline(text):
    out = esc(text).replace("&#x27;", "'")
    out = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", out)
    out = re.sub(r"(?<![*\w])\*([^*]+)\*(?![*\w])", r"<em>\1</em>", out)
    return out


def render_markdown(text):
    parts = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.strip().split("\n")
        first = lines[0]
        if first.startswith("### ") or first.startswith("## "):
            level = 3 if first.startswith("### ") else 2
            title = first[level + 1:].strip()
            parts.append(f'<h{level} id="{slugify(title)}">{render_inline(title)}</h{level}>')
        elif first.startswith("- "):
            items = "\n".join(f"<li>{render_inline(line[2:].strip())}</li>" for line in lines if line.startswith("- "))
            parts.append(f"<ul>\n{items}\n</ul>")
        elif first.startswith("> "):
            quote = " ".join(line[2:].strip() for line in lines)
            parts.append(f"<blockquote>\n<p>{render_inline(quote)}</p>\n</blockquote>")
        else:
            parts.append("<p>" + "<br>\n".join(render_inline(line.strip()) for line in lines) + "</p>")
    return "\n".join(parts)


# ---------------------------------------------------------------- page parts

CSS = """body{font-family:Georgia,serif;margin:0;color:#222;line-height:1.5}
.site{max-width:72rem;margin:0 auto;padding:0 1rem}
.site-header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;border-bottom:3px solid #2a6f62}
.site-title a{color:#2a6f62;font-weight:bold;font-size:1.6rem;text-decoration:none}
.menu{list-style:none;display:flex;gap:1rem;padding:0}
.site-content{display:grid;grid-template-columns:3fr 1fr;gap:2rem}
.widget-area{font-size:.9rem;border-left:1px solid #ddd;padding-left:1rem}
.entry-meta,.breadcrumbs{color:#666;font-size:.9rem}
.screen-reader-text,.gform_validation_container{position:absolute;left:-9999px}
.pdf-download a{display:inline-block;background:#2a6f62;color:#fff;padding:.3rem .8rem;text-decoration:none}
.site-footer{border-top:1px solid #ddd;margin-top:2rem;font-size:.9rem}
"""


def head(title, description, url, kind, extra=""):
    full_title = f"{title} &#8211; {SITE_NAME}" if title != SITE_NAME else SITE_NAME
    lines = [
        "<!DOCTYPE html>",
        '<html lang="nl">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{full_title}</title>",
        f'<meta name="description" content="{esc(description)}">',
        '<meta name="robots" content="index, follow, max-image-preview:large">',
        f'<link rel="canonical" href="{BASE_URL}{url}">',
        '<meta property="og:locale" content="nl_NL">',
        f'<meta property="og:type" content="{kind}">',
        f'<meta property="og:title" content="{esc(title)}">',
        f'<meta property="og:description" content="{esc(description)}">',
        f'<meta property="og:url" content="{BASE_URL}{url}">',
        f'<meta property="og:site_name" content="{SITE_NAME}">',
    ]
    if extra:
        lines.append(extra)
    lines += [
        '<meta name="twitter:card" content="summary">',
        f'<link rel="alternate" type="application/rss+xml" href="{BASE_URL}/index.xml" title="{SITE_NAME}">',
        '<link rel="stylesheet" id="zorgzaam-style-css" href="/css/style.css" media="all">',
        "</head>",
    ]
    return "\n".join(lines)


def masthead(current):
    def item(href, label):
        cls = "menu-item current-menu-item" if href == current else "menu-item"
        return f'<li class="{cls}"><a href="{href}">{label}</a></li>'

    return "\n".join([
        '<div id="page" class="site">',
        '<a class="skip-link screen-reader-text" href="#content">Ga naar de inhoud</a>',
        '<header id="masthead" class="site-header">',
        '<div class="site-branding">',
        f'<p class="site-title"><a href="/" rel="home">{SITE_NAME}</a></p>',
        f'<p class="site-description">{SITE_TAGLINE}</p>',
        "</div>",
        '<nav id="site-navigation" class="main-navigation" aria-label="Hoofdmenu">',
        '<button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>',
        '<ul id="primary-menu" class="menu">',
        item("/", "Home"),
        item("/actueel/", "Actueel"),
        item("/thema/", "Thema&#39;s"),
        item("/trefwoord/", "Trefwoorden"),
        item("/rapporten/", "Rapporten"),
        "</ul>",
        "</nav>",
        '<form role="search" method="get" class="search-form" action="/zoeken">',
        "<label>",
        '<span class="screen-reader-text">Zoeken naar:</span>',
        '<input type="search" class="search-field" placeholder="Zoeken &hellip;" value="" name="q">',
        "</label>",
        '<input type="submit" class="search-submit" value="Zoeken">',
        "</form>",
        "</header>",
        "",
        '<div id="content" class="site-content">',
        '<div id="primary" class="content-area">',
        '<main id="main" class="site-main">',
    ])


def breadcrumbs(trail):
    """trail: [(label, href or None)], the last one is the current page."""
    parts = ['<span><a href="/">Home</a></span>']
    for label, href in trail:
        if href:
            parts.append(f'<span><a href="{href}">{esc(label)}</a></span>')
        else:
            parts.append(f'<span class="breadcrumb_last" aria-current="page">{esc(label)}</span>')
    return '<nav class="breadcrumbs" aria-label="Kruimelpad"><span>' + " &raquo; ".join(parts) + "</span></nav>"


def sidebar(site):
    recent = "\n".join(f'<li><a href="{a.url}">{esc(a.title)}</a></li>' for a in site.articles[:5])
    themes = "\n".join(
        f'<li class="cat-item"><a href="/thema/{slugify(t)}/">{esc(t)}</a> ({len(site.by_theme[t])})</li>'
        for t in sorted(site.by_theme, key=lambda t: slugify(t))
    )
    participants = "\n".join(f'<li><a href="{href}">{esc(name)}</a></li>' for name, href in PARTICIPANTS)
    return "\n".join([
        "</main>",
        "</div>",
        '<aside id="secondary" class="widget-area" aria-label="Zijbalk">',
        '<section id="nieuwsbrief" class="widget widget_nieuwsbrief">',
        '<h2 class="widget-title">Nieuwsbrief</h2>',
        "<p>Wilt u op de hoogte blijven van nieuws uit het netwerk? Meld u aan voor onze nieuwsbrief, "
        "die vier keer per jaar verschijnt.</p>",
        '<form method="post" class="nieuwsbrief-form" action="/nieuwsbrief/">',
        '<p><label for="nieuwsbrief-email">E-mailadres <span class="required">*</span></label>',
        '<input type="email" id="nieuwsbrief-email" name="email" autocomplete="email" required></p>',
        '<div class="gform_validation_container">',
        '<label for="nieuwsbrief-telefoon">Telefoon</label>',
        '<input type="text" id="nieuwsbrief-telefoon" name="telefoon" tabindex="-1" autocomplete="off">',
        '<p class="instruction">Dit veld is bedoeld voor validatiedoeleinden en moet niet worden gewijzigd.</p>',
        "</div>",
        '<p><input type="submit" value="Aanmelden"></p>',
        "</form>",
        "</section>",
        '<section id="deelnemers" class="widget widget_deelnemers">',
        '<h2 class="widget-title">Deelnemende organisaties</h2>',
        "<ul>",
        participants,
        "</ul>",
        "</section>",
        '<section id="recente-berichten" class="widget widget_recent_entries">',
        '<h2 class="widget-title">Recente berichten</h2>',
        "<ul>",
        recent,
        "</ul>",
        "</section>",
        '<section id="themas" class="widget widget_categories">',
        '<h2 class="widget-title">Thema\'s</h2>',
        "<ul>",
        themes,
        "</ul>",
        "</section>",
        "</aside>",
        "</div>",
    ])


def footer():
    return "\n".join([
        '<footer id="colophon" class="site-footer">',
        '<nav class="footer-navigation" aria-label="Footermenu">',
        "<ul>",
        '<li><a href="/actueel/">Alle artikelen</a></li>',
        '<li><a href="/thema/">Thema\'s</a></li>',
        '<li><a href="/trefwoord/">Trefwoorden</a></li>',
        '<li><a href="/index.xml">RSS-feed</a></li>',
        "</ul>",
        "</nav>",
        '<div class="site-info">',
        f"<p>&copy; {SITE_NAME} &middot; Postbus 1234, 3500 AA Utrecht &middot; "
        '<a href="mailto:info@zorgzaamsamen.example">info@zorgzaamsamen.example</a></p>',
        "<p>Deze site gebruikt alleen functionele cookies.</p>",
        "</div>",
        "</footer>",
        "",
        "</div>",
        "</body>",
        "</html>",
        "",
    ])


def comment_form(article):
    post_id = hashlib.md5(article.slug.encode()).hexdigest()[:8]
    return "\n".join([
        '<div id="comments" class="comments-area">',
        '<div id="respond" class="comment-respond">',
        '<h3 id="reply-title" class="comment-reply-title">Praat mee!</h3>',
        '<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form">',
        '<p class="comment-notes">Het e-mailadres wordt niet gepubliceerd. Vereiste velden zijn gemarkeerd met '
        '<span class="required">*</span></p>',
        '<p class="comment-form-comment"><label for="comment">Reactie <span class="required">*</span></label> '
        '<textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" required></textarea></p>',
        '<p class="comment-form-author"><label for="author">Naam <span class="required">*</span></label> '
        '<input id="author" name="author" type="text" value="" size="30" maxlength="245" autocomplete="name" required></p>',
        '<p class="comment-form-email"><label for="email">E-mail <span class="required">*</span></label> '
        '<input id="email" name="email" type="email" value="" size="30" maxlength="100" autocomplete="email" required></p>',
        '<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Reactie plaatsen"> '
        f'<input type="hidden" name="comment_post_ID" value="{post_id}" id="comment_post_ID"></p>',
        "</form>",
        "</div>",
        "</div>",
    ])


# ---------------------------------------------------------------- pages

class Site:
    def __init__(self, articles, reports):
        self.articles = sorted(articles, key=Article.sort_key)
        self.reports = reports
        self.by_theme = {}
        self.by_tag = {}
        for article in self.articles:
            for theme in article.themes:
                self.by_theme.setdefault(theme, []).append(article)
            for tag in article.tags:
                self.by_tag.setdefault(tag, []).append(article)
        self.files = {}  # site path -> bytes
        self.sitemap = []  # (url, lastmod or None)

    def put(self, path, text):
        self.files[path] = text.encode("utf-8") if isinstance(text, str) else text

    def newest(self, articles):
        dated = [a.lastmod for a in articles if a.lastmod]
        return max(dated) if dated else None


def article_page(site, article):
    extra = []
    if article.date:
        extra.append(f'<meta property="article:published_time" content="{article.iso(article.date)}">')
        extra.append(f'<meta property="article:modified_time" content="{article.iso(article.lastmod)}">')
    for theme in article.themes:
        extra.append(f'<meta property="article:section" content="{esc(theme)}">')
    for tag in article.tags:
        extra.append(f'<meta property="article:tag" content="{esc(tag)}">')
    jsonld = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": article.description,
        "author": {"@type": "Person", "name": article.author},
        "inLanguage": "nl-NL",
        "keywords": ", ".join(article.tags),
        "mainEntityOfPage": {"@id": f"{BASE_URL}{article.url}", "@type": "WebPage"},
        "publisher": {"@type": "Organization", "name": SITE_NAME, "url": BASE_URL + "/"},
        "url": f"{BASE_URL}{article.url}",
        "wordCount": article.words,
    }
    if article.date:
        jsonld["datePublished"] = article.iso(article.date)
        jsonld["dateModified"] = article.iso(article.lastmod)
    extra.append('<script type="application/ld+json">' + json.dumps(jsonld, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                 + "</script>")

    meta = []
    if article.date:
        meta.append(f'<span class="posted-on">Geplaatst op <time class="entry-date published" '
                    f'datetime="{article.iso(article.date)}">{article.dutch_date()}</time></span>')
    meta.append(f'<span class="byline"> door <span class="author vcard">{esc(article.author)}</span></span>')

    download = ""
    if article.pdf:
        download = (f'<p class="pdf-download"><a href="/rapporten/{article.pdf}" download>'
                    "Download artikel als PDF</a></p>")

    theme_links = ", ".join(f'<a href="/thema/{slugify(t)}/" rel="category">{esc(t)}</a>' for t in article.themes)
    tag_links = ", ".join(f'<a href="/trefwoord/{slugify(t)}/" rel="tag">{esc(t)}</a>' for t in article.tags)
    post_id = hashlib.md5(article.slug.encode()).hexdigest()[:8]
    body = "\n".join([
        f'<body class="post-template-default single single-post postid-{post_id}">',
        masthead("/actueel/"),
        "",
        breadcrumbs([("Actueel", "/actueel/"), (article.title, None)]),
        "",
        f'<article id="post-{post_id}" class="post type-post status-publish format-standard hentry">',
        '<header class="entry-header">',
        f'<h1 class="entry-title">{esc(article.title)}</h1>',
        '<div class="entry-meta">',
        "\n".join(meta),
        "</div>",
        "</header>",
        '<div class="entry-content">',
        article.body_html,
        download,
        "</div>",
        '<footer class="entry-footer">',
        '<div class="post-taxonomies">',
        '<h2 class="post-taxonomies-title">Meer artikelen over de thema\'s met trefwoorden:</h2>',
        f'<p class="cat-links"><span class="tax-label">Thema\'s:</span> {theme_links}</p>',
        f'<p class="tags-links"><span class="tax-label">Trefwoorden:</span> {tag_links}</p>' if article.tags else "",
        "</div>",
        "</footer>",
        "</article>",
        comment_form(article),
        "",
        sidebar(site),
        footer(),
    ])
    return head(article.title, article.description, article.url, "article", "\n".join(extra)) + "\n" + body


def summary_block(article):
    date = ""
    if article.date:
        date = (f'<div class="entry-meta"><span class="posted-on"><time class="entry-date published" '
                f'datetime="{article.iso(article.date)}">{article.dutch_date()}</time></span></div>\n')
    return "\n".join([
        '<article class="post type-post status-publish hentry">',
        '<header class="entry-header">',
        f'<h2 class="entry-title"><a href="{article.url}" rel="bookmark">{esc(article.title)}</a></h2>',
        date + "</header>",
        '<div class="entry-summary">',
        f"<p>{esc(article.description)}</p>",
        "</div>",
        f'<p><a class="more-link" href="{article.url}">Lees verder<span class="screen-reader-text"> '
        f"&#8220;{esc(article.title)}&#8221;</span></a></p>",
        "</article>",
    ])


def pagination(base, page, pages):
    if pages <= 1:
        return ""
    links = []
    if page > 1:
        previous = base if page == 2 else f"{base}page/{page - 1}/"
        links.append(f'<a class="prev page-numbers" href="{previous}">&laquo; Vorige</a>')
    for number in range(1, pages + 1):
        href = base if number == 1 else f"{base}page/{number}/"
        if number == page:
            links.append(f'<span aria-current="page" class="page-numbers current">{number}</span>')
        else:
            links.append(f'<a class="page-numbers" href="{href}">{number}</a>')
    if page < pages:
        links.append(f'<a class="next page-numbers" href="{base}page/{page + 1}/">Volgende &raquo;</a>')
    return ('<nav class="navigation pagination" aria-label="Berichten">\n<h2 class="screen-reader-text">'
            'Berichtnavigatie</h2>\n<div class="nav-links">' + "\n".join(links) + "</div>\n</nav>")


def alias_page(target):
    """Hugo's redirect page for /…/page/1/ (noindex, meta refresh): the indexer should skip it."""
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="nl-NL">',
        "  <head>",
        f"    <title>{BASE_URL}{target}</title>",
        f'    <link rel="canonical" href="{BASE_URL}{target}">',
        '    <meta name="robots" content="noindex">',
        '    <meta charset="utf-8">',
        f'    <meta http-equiv="refresh" content="0; url={BASE_URL}{target}">',
        "  </head>",
        "</html>",
        "",
    ])


def listing(site, base, heading, trail, articles, body_class, intro=""):
    """Writes base (page 1), base/page/N/ and the page/1 alias for a list of articles."""
    pages = max(1, (len(articles) + PER_PAGE - 1) // PER_PAGE)
    for page in range(1, pages + 1):
        chunk = articles[(page - 1) * PER_PAGE: page * PER_PAGE]
        url = base if page == 1 else f"{base}page/{page}/"
        title = heading if page == 1 else f"{heading} &#8211; Pagina {page}"
        description = f"Artikelen van {SITE_NAME}: {heading}" if base != "/" else SITE_TAGLINE
        body = "\n".join([
            f'<body class="{body_class}">',
            masthead(base if base in ("/", "/actueel/") else "/" + base.split("/")[1] + "/"),
            "",
            breadcrumbs(trail) if trail else "",
            "",
            '<header class="page-header">',
            f'<h1 class="page-title">{heading}</h1>',
            intro,
            "</header>",
            "\n".join(summary_block(a) for a in chunk),
            pagination(base, page, pages),
            "",
            sidebar(site),
            footer(),
        ])
        site.put(url.lstrip("/") + "index.html", head(re.sub("<[^>]+>", "", title).replace("&#8211;", "–"),
                                                         description, url, "website") + "\n" + body)
        site.sitemap.append((url, site.newest(chunk) if page == 1 else None))
    site.put(base.lstrip("/") + "page/1/index.html", alias_page(base))


def terms_page(site, base, heading, groups):
    items = "\n".join(
        f'<li class="cat-item"><a href="{base}{slugify(name)}/">{esc(name)}</a> ({len(articles)})</li>'
        for name, articles in sorted(groups.items(), key=lambda item: slugify(item[0]))
    )
    body = "\n".join([
        '<body class="archive taxonomy">',
        masthead(base),
        "",
        breadcrumbs([(heading, None)]),
        '<header class="page-header">',
        f'<h1 class="page-title">{heading}</h1>',
        "</header>",
        '<ul class="terms">',
        items,
        "</ul>",
        "",
        sidebar(site),
        footer(),
    ])
    site.put(base.lstrip("/") + "index.html", head(heading, f"{heading} van {SITE_NAME}", base, "website") + "\n" + body)
    site.sitemap.append((base, None))


def reports_page(site):
    items = []
    for report in site.reports:
        items.append(f'<li><a href="/rapporten/{report["file"]}">{esc(report["title"])}</a> '
                     f'(pdf, {report["pages"]} pagina\'s, {max(1, report["bytes"] // 1024)} kB)</li>')
    body = "\n".join([
        '<body class="page-template-default page">',
        masthead("/rapporten/"),
        "",
        breadcrumbs([("Rapporten", None)]),
        '<article class="page type-page status-publish hentry">',
        '<header class="entry-header"><h1 class="entry-title">Rapporten</h1></header>',
        '<div class="entry-content">',
        "<p>Hier vindt u de rapporten en jaarverslagen van het netwerk als pdf.</p>",
        "<ul>",
        "\n".join(items),
        "</ul>",
        "</div>",
        "</article>",
        "",
        sidebar(site),
        footer(),
    ])
    site.put("rapporten/index.html", head("Rapporten", f"Rapporten van {SITE_NAME}", "/rapporten/", "website")
             + "\n" + body)
    site.sitemap.append(("/rapporten/", None))


def not_found_page(site):
    body = "\n".join([
        '<body class="error404">',
        masthead(""),
        '<section class="error-404 not-found">',
        '<header class="page-header"><h1 class="page-title">Pagina niet gevonden</h1></header>',
        '<div class="page-content"><p>Deze pagina bestaat niet (meer). Probeer te zoeken of ga naar '
        '<a href="/">de voorpagina</a>.</p></div>',
        "</section>",
        "",
        sidebar(site),
        footer(),
    ])
    site.put("404.html", head("Pagina niet gevonden", "Pagina niet gevonden", "/404.html", "website") + "\n" + body)


def rfc822(article):
    moment = article.date
    offset = amsterdam_offset(moment).replace(":", "")
    return (f"{RFC822_DAYS[moment.weekday()]}, {moment.day:02d} {RFC822_MONTHS[moment.month - 1]} {moment.year} "
            f"{moment.strftime('%H:%M:%S')} {offset}")


def rss(site):
    items = []
    for article in site.articles[:20]:
        date = f"\n      <pubDate>{rfc822(article)}</pubDate>" if article.date else ""
        items.append(
            f"    <item>\n      <title>{esc(article.title)}</title>\n      <link>{BASE_URL}{article.url}</link>{date}\n"
            f"      <guid>{BASE_URL}{article.url}</guid>\n      <description>{esc(article.description)}</description>\n"
            "    </item>"
        )
    last = f"\n    <lastBuildDate>{rfc822(site.articles[0])}</lastBuildDate>" if site.articles[0].date else ""
    site.put("index.xml", "\n".join([
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
        "  <channel>",
        f"    <title>{SITE_NAME}</title>",
        f"    <link>{BASE_URL}/</link>",
        f"    <description>Recent nieuws van {SITE_NAME}</description>",
        f"    <language>nl-NL</language>{last}",
        f'    <atom:link href="{BASE_URL}/index.xml" rel="self" type="application/rss+xml" />',
        "\n".join(items),
        "  </channel>",
        "</rss>",
        "",
    ]))


def sitemap(site):
    entries = []
    for url, lastmod in site.sitemap:
        stamp = ""
        if lastmod:
            stamp = f"\n    <lastmod>{lastmod.strftime('%Y-%m-%dT%H:%M:%S')}{amsterdam_offset(lastmod)}</lastmod>"
        entries.append(f"  <url>\n    <loc>{BASE_URL}{url}</loc>{stamp}\n  </url>")
    site.put("sitemap.xml", "\n".join([
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        "\n".join(entries),
        "</urlset>",
        "",
    ]))


# ---------------------------------------------------------------- reports

def load_report(path):
    meta, body = parse_front_matter(path)
    for key in ("title", "author", "date"):
        if key not in meta:
            raise SystemExit(f"{path}: front matter lacks {key}")
    blocks = [(kind, text.replace("~", mkpdf.SOFT_HYPHEN)) for kind, text in mkpdf.parse_text(body)]
    name = os.path.splitext(os.path.basename(path))[0] + ".pdf"
    created = datetime.datetime.fromisoformat(meta["date"])
    byline = meta.get("byline", f"{meta['author']} \u2013 {created.day} {MONTHS[created.month - 1]} {created.year}")
    data, stats = mkpdf.render_report(meta["title"], meta["author"], meta["date"], blocks,
                                      subtitle=meta.get("subtitle"), info_title=meta.get("info_title"),
                                      byline=byline, cover=meta.get("cover", False))
    return {"file": name, "title": meta["title"], "data": data, **stats}


def build(out_dir):
    article_dir = os.path.join(HERE, "articles")
    report_dir = os.path.join(HERE, "reports")
    articles = [Article(os.path.join(article_dir, name)) for name in sorted(os.listdir(article_dir))
                if name.endswith(".md")]
    reports = [load_report(os.path.join(report_dir, name)) for name in sorted(os.listdir(report_dir))
               if name.endswith(".md")]
    site = Site(articles, reports)

    report_files = {report["file"] for report in reports}
    for article in site.articles:
        if article.pdf and article.pdf not in report_files:
            raise SystemExit(f"{article.slug}: pdf {article.pdf} is not a report in sample/reports")
        for link in re.findall(r'href="/rapporten/([^"]+)"', article.body_html):
            if link not in report_files:
                raise SystemExit(f"{article.slug}: links to missing report {link}")
    if not any(report["hyphenations"] for report in reports):
        raise SystemExit("no report has a word hyphenated across a line end; add ~ break points")

    listing(site, "/", SITE_NAME, [], site.articles, "home blog",
            f'<p class="archive-description">{SITE_TAGLINE}: nieuws uit het netwerk van {SITE_NAME}.</p>')
    listing(site, "/actueel/", "Actueel", [("Actueel", None)], site.articles, "archive blog")
    for article in site.articles:
        site.put(article.url.lstrip("/") + "index.html", article_page(site, article))
        site.sitemap.append((article.url, article.lastmod))
    terms_page(site, "/thema/", "Thema's", site.by_theme)
    for theme, members in site.by_theme.items():
        base = f"/thema/{slugify(theme)}/"
        listing(site, base, f"Thema: <span>{esc(theme)}</span>", [("Thema's", "/thema/"), (theme, None)], members,
                "archive category")
    terms_page(site, "/trefwoord/", "Trefwoorden", site.by_tag)
    for tag, members in site.by_tag.items():
        base = f"/trefwoord/{slugify(tag)}/"
        listing(site, base, f"Trefwoord: <span>{esc(tag)}</span>", [("Trefwoorden", "/trefwoord/"), (tag, None)],
                members, "archive tag")
    reports_page(site)
    not_found_page(site)
    rss(site)
    sitemap(site)
    site.put("robots.txt", f"User-agent: *\nDisallow: /wp-admin/\nSitemap: {BASE_URL}/sitemap.xml\n")
    site.put("css/style.css", CSS)
    for report in reports:
        site.put("rapporten/" + report["file"], report["data"])

    # Write into a fresh folder next to the target, then swap, so a failed build leaves no half site.
    out_dir = os.path.abspath(out_dir)
    staging = out_dir + ".tmp"
    shutil.rmtree(staging, ignore_errors=True)
    for path in sorted(site.files):
        target = os.path.join(staging, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(site.files[path])
    shutil.rmtree(out_dir, ignore_errors=True)
    os.rename(staging, out_dir)
    pages = sum(1 for path in site.files if path.endswith(".html"))
    hyphenated = sorted(word for report in reports for word in report["hyphenated"])
    print(f"sample site: {len(site.articles)} articles, {pages} HTML pages, {len(reports)} PDFs "
          f"({', '.join('%s %dp' % (r['file'], r['pages']) for r in reports)}; hyphenated at a line end: "
          f"{', '.join(hyphenated)}) -> {out_dir}")


def main(argv):
    if len(argv) != 1:
        print("usage: build.py OUT_DIR", file=sys.stderr)
        return 2
    build(argv[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
