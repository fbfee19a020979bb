#!/usr/bin/env python3
"""test_near_duplicates.py - near-duplicates collapse into one result (docs/ranking.md, docs/schema.md).

A generated site holds four versions of one accessibility audit (the same long text, a few words
changed), a distinct report on the same subject and a short note. A search lists the audit once, with
"similar": 3 and its group; similar=<group> and collapse=0 list every version; `vind count`,
`vind search --all` and the total count every document; the distinct report is not collapsed. Then
the index changes incrementally: a fifth version joins the group, and removing the version that
founded the group leaves the others grouped. /zoeken shows "3 vergelijkbare documenten" with a link
that lists them. Standard library only; TAP.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Searchd, Tap, binary, env, index_site, query, require_programs  # noqa: E402

tap = Tap()

AUDIT = [
    "Dit rapport beschrijft het onderzoek naar de toegankelijkheid van de app CoronaMelder.",
    "De onderzoekers hebben de app getoetst aan de richtlijnen voor digitale toegankelijkheid.",
    "Elk scherm van de app is met een schermlezer doorlopen op een telefoon en een tablet.",
    "De knoppen op het startscherm hebben een duidelijke naam en zijn groot genoeg om aan te raken.",
    "Het contrast tussen de tekst en de achtergrond voldoet op bijna alle schermen aan de norm.",
    "Op het scherm met de instellingen ontbreekt bij twee schakelaars een beschrijving voor de schermlezer.",
    "De volgorde waarin de schermlezer de onderdelen voorleest komt overeen met de visuele volgorde.",
    "Bij een grotere tekstgrootte blijven alle teksten leesbaar en verdwijnt geen informatie.",
    "De meldingen over een mogelijke besmetting worden ook als tekst aangeboden en niet alleen als kleur.",
    "Animaties kunnen worden uitgezet en knipperen niet vaker dan drie keer per seconde.",
    "Formulieren geven een foutmelding die uitlegt wat er mis is en hoe de gebruiker het kan herstellen.",
    "De app werkt in staande en liggende stand en past de indeling aan de schermgrootte aan.",
    "Links naar de website openen in de browser en zijn als link herkenbaar voor de schermlezer.",
    "De helpteksten zijn geschreven op taalniveau B1 en bevatten korte zinnen.",
    "De onderzoekers adviseren de ontbrekende beschrijvingen toe te voegen voor de volgende versie.",
]

OTHER = [
    "Dit artikel gaat over de toegankelijkheid van gemeentelijke websites in het algemeen.",
    "Veel gemeenten publiceren een toegankelijkheidsverklaring op hun eigen site.",
    "De verklaring noemt welke onderdelen nog niet voldoen en wanneer dat wordt opgelost.",
    "Inwoners kunnen een klacht indienen wanneer een formulier niet met het toetsenbord werkt.",
    "Een goede verklaring is actueel, volledig en beschrijft ook de pdf-documenten op de site.",
    "Bij de beoordeling kijken de toezichthouders naar de status van de verklaring.",
    "Sommige gemeenten laten elk jaar een nieuwe audit uitvoeren door een extern bureau.",
    "Andere gemeenten toetsen zelf met vrijwilligers die een schermlezer of vergroting gebruiken.",
    "De resultaten worden besproken in de gemeenteraad en verwerkt in een verbeterplan.",
    "Wie vragen heeft over de toegankelijkheid kan contact opnemen met de webredactie.",
]

PAGE = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2021-0{month}-01T10:00:00+02:00">
</head><body><article><h1>{title}</h1>
{body}
</article></body></html>
"""


def write(root, slug, title, sentences, month=1):
    folder = os.path.join(root, "actueel", slug)
    os.makedirs(folder, exist_ok=True)
    body = "\n".join("<p>%s</p>" % s for s in sentences)
    with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as f:
        f.write(PAGE.format(title=title, body=body, month=month))


def audit_version(n):
    """Version n of the audit: the same text with its version number and one sentence changed."""
    sentences = list(AUDIT)
    sentences[0] = "Versie %d. " % n + sentences[0]
    sentences[4] = sentences[4].replace("bijna alle", ["bijna alle", "vrijwel alle", "de meeste",
                                                      "alle", "veel"][n % 5])
    return sentences


def vind(db, *args):
    result = subprocess.run([binary("vind"), "--db", db] + list(args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env(), timeout=120)
    return result.returncode, result.stdout.decode("utf-8", "replace")


def audit_hits(db):
    """The audit hits of `vind search toegankelijkheid` (collapsed: one expected)."""
    code, out = vind(db, "search", "toegankelijkheid", "--format", "json")
    data = json.loads(out) if code == 0 else {}
    return [h for h in data.get("results", []) if h["url"].startswith("/actueel/audit-")]


def urls(data):
    return sorted(hit["url"] for hit in data.get("results", []))


def versions(*numbers):
    return sorted("/actueel/audit-v%d/" % n for n in numbers)


def main():
    if not require_programs(tap, "near-duplicates", "vind-index", "vind", "vind-searchd"):
        return tap.done()
    with tempfile.TemporaryDirectory() as tmp:
        site, db = os.path.join(tmp, "site"), os.path.join(tmp, "db")
        for n in range(1, 5):
            write(site, "audit-v%d" % n, "Toegankelijkheidsonderzoek CoronaMelder versie %d" % n,
                  audit_version(n), month=n)
        write(site, "gemeenten", "Toegankelijkheid van gemeentelijke websites", OTHER)
        write(site, "kort", "Korte notitie", ["Een korte notitie over toegankelijkheid.",
                                              "Meer staat er niet in."])
        index_site(db, site)
        every = versions(1, 2, 3, 4) + ["/actueel/gemeenten/", "/actueel/kort/"]
        with Searchd(db) as sd:
            status, data = sd.json("/api/search?" + query(q="toegankelijkheid"))
            tap.equal(status, 200, "search answers")
            hits = data.get("results", [])
            audits = [h for h in hits if h["url"].startswith("/actueel/audit-")]
            tap.equal(len(audits), 1, "the four audit versions are listed once", )
            audit = audits[0] if audits else {}
            tap.equal(audit.get("similar"), 3, "the audit hit says 3 similar documents")
            group = audit.get("group") or ""
            tap.ok(len(group) == 16, "the audit hit names its group", audit)
            tap.equal(data.get("total"), 6, "the total counts every document, collapsed ones too")
            tap.ok(data.get("total_includes_similar") is True, "JSON says the total counts them")
            tap.equal(data.get("listed"), 3, "listed: the collapsed list has three entries")
            years = {v["value"]: v["count"] for v in data.get("facets", {}).get("year", [])}
            tap.equal(years.get("2021"), 6, "facet counts count every document, collapsed ones too")
            other = [h for h in hits if h["url"] == "/actueel/gemeenten/"]
            tap.ok(other and other[0]["similar"] == 0 and other[0]["group"] is None,
                   "the distinct report is listed on its own, not collapsed", other)

            # An exact title pins its document first; its group is not listed again below it.
            status, data = sd.json("/api/search?" + query(q="Toegankelijkheidsonderzoek CoronaMelder versie 2"))
            audits = [h for h in data.get("results", []) if h["url"].startswith("/actueel/audit-")]
            tap.ok(len(audits) == 1 and audits[0]["url"] == "/actueel/audit-v2/" and audits[0]["similar"] == 3
                   and data["results"][0]["url"] == "/actueel/audit-v2/",
                   "an exact title stands first for its group, which is not listed again", audits)

            status, data = sd.json("/api/search?" + query(q="toegankelijkheid", similar=group))
            tap.equal(urls(data), versions(1, 2, 3, 4), "similar=<group> lists every version")
            status, data = sd.json("/api/search?" + query(q="toegankelijkheid", similar=group, year="2021"))
            tap.equal((data.get("total"), urls(data)), (4, versions(1, 2, 3, 4)),
                      "with a facet filter (a counting pass of its own) the group's total is its own")
            status, data = sd.json("/api/search?" + query(q="toegankelijkheid", collapse="0"))
            tap.equal(urls(data), every, "collapse=0 lists every document")
            status, _, _ = sd.get("/api/search?" + query(q="toegankelijkheid", similar="xyz"))
            tap.equal(status, 400, "a malformed group is refused")

            status, _, body = sd.get("/zoeken?" + query(q="toegankelijkheid"))
            page = body.decode("utf-8", "replace")
            tap.ok("3 vergelijkbare documenten" in page, "/zoeken says 3 vergelijkbare documenten")
            tap.ok("similar=" + group in page, "/zoeken links to the group's list")

        code, out = vind(db, "count", "toegankelijkheid")
        tap.ok(code == 0 and out.split() and out.split()[0] == "6", "vind count counts 6", out)
        code, out = vind(db, "search", "toegankelijkheid", "--all", "--format", "json")
        listed = sorted(h["url"] for h in json.loads(out).get("results", [])) if code == 0 else []
        tap.equal(listed, every, "vind search --all lists every document")

        # Incremental: a fifth version joins the group; removing the founder keeps the group.
        write(site, "audit-v5", "Toegankelijkheidsonderzoek CoronaMelder versie 5", audit_version(5),
              month=5)
        index_site(db, site)
        audits = audit_hits(db)
        tap.ok(len(audits) == 1 and audits[0]["similar"] == 4 and audits[0]["group"] == group,
               "a version added later joins the existing group", audits)
        founder = min(versions(1, 2, 3, 4, 5))
        shutil.rmtree(os.path.join(site, founder.strip("/")))
        index_site(db, site)
        audits = audit_hits(db)
        tap.ok(len(audits) == 1 and audits[0]["similar"] == 3 and audits[0]["group"] == group,
               "without the version that founded it the group stays whole", audits)
        check_keyed_when_joined(os.path.join(tmp, "later"), group)
    return tap.done()


def check_keyed_when_joined(root, group):
    """Only a document with a near-duplicate carries a group key (docs/schema.md): one alone is
    not collapsed, and in an index without any group nothing is; when a second version arrives in
    a later run, the first one is given the key, so the two collapse."""
    site, db = os.path.join(root, "site"), os.path.join(root, "db")
    write(site, "audit-v1", "Toegankelijkheidsonderzoek CoronaMelder versie 1", audit_version(1))
    write(site, "gemeenten", "Toegankelijkheid van gemeentelijke websites", OTHER)
    index_site(db, site)
    code, out = vind(db, "search", "toegankelijkheid", "--format", "json")
    data = json.loads(out) if code == 0 else {}
    tap.ok(data.get("total") == 2 and data.get("listed") == 2
           and all(h["similar"] == 0 and h["group"] is None for h in data.get("results", [])),
           "an index without near-duplicates lists every document, none in a group", data)
    code, out = vind(db, "search", "toegankelijkheid coronamelder", "--format", "json")
    data = json.loads(out) if code == 0 else {}
    tap.ok(data.get("total") == 1 and data.get("fallback_total") == 1 and data.get("listed") == 2,
           "without groups (no collapse key) listed still counts the partial matches after the full", data)
    write(site, "audit-v2", "Toegankelijkheidsonderzoek CoronaMelder versie 2", audit_version(2), month=2)
    index_site(db, site)
    audits = audit_hits(db)
    tap.ok(len(audits) == 1 and audits[0]["similar"] == 1 and audits[0]["group"] == group,
           "a second version indexed later collapses with the first, which was alone", audits)
    shutil.rmtree(os.path.join(site, "actueel", "audit-v2"))
    index_site(db, site)
    audits = audit_hits(db)
    tap.ok(len(audits) == 1 and audits[0]["similar"] == 0 and audits[0]["group"] is None,
           "alone again, the first version is listed as before", audits)


if __name__ == "__main__":
    sys.exit(main())
