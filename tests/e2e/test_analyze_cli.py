#!/usr/bin/env python3
"""test_analyze_cli.py - runs the real `vind analyze` binary on the issue's
examples: a word typed matches every form of it, compound parts carry the
term of their head, and the command behaves as a command (stdin, JSON, exit
statuses, hostile bytes). Prints TAP."""
import json
import os
import subprocess
import sys

BUILD = os.environ.get("VIND_BUILD", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
VIND = os.path.join(BUILD, "bin", "vind")
count = 0
failed = 0


def report(passed, what, detail=None):
    global count, failed
    count += 1
    if not passed:
        failed += 1
    print(("ok" if passed else "not ok") + " %d - %s" % (count, what))
    if not passed and detail:
        for line in str(detail).splitlines():
            print("#   " + line)


def run(args, stdin=None):
    """Runs vind with args; returns (exit status, stdout bytes, stderr bytes)."""
    done = subprocess.run([VIND] + args, input=stdin, capture_output=True, timeout=60)
    return done.returncode, done.stdout, done.stderr


def analyze(text, *options):
    """The token list of `vind analyze --format json [options] text`."""
    status, out, err = run(["analyze", "--format", "json", *options, "--", text])
    if status != 0:
        raise RuntimeError("vind analyze %r exited %d: %s" % (text, status, err.decode("utf-8", "replace")))
    return json.loads(out)["tokens"]


def content_stems(text):
    return [t["stem"] for t in analyze(text) if "stop" not in t["flags"]]


def terms(token):
    return [token["stem"]] + token["extra"]


def main():
    if not os.access(VIND, os.X_OK):
        report(False, "vind binary exists at %s" % VIND)
        print("1..%d" % count)
        return 1

    inflected = content_stems("Cliënten, bewoners en organisaties van verpleeghuizen met auto's")
    typed = content_stems("client bewoner organisatie verpleeghuis auto")
    report(inflected == typed, "issue: inflected text and typed lemmas give the same stems word for word",
           "%s\n%s" % (inflected, typed))
    report(len(typed) == 5, "issue: five content words", typed)

    zorg = analyze("zorg")[0]["stem"]
    compound = analyze("verpleeghuiszorg")
    report(len(compound) == 1 and zorg in terms(compound[0]),
           "issue: the terms of verpleeghuiszorg include the term of zorg", compound)

    tokens = analyze("Cliënten en auto's")
    report([t["form"] for t in tokens] == ["clienten", "en", "auto"], "forms: folded, without 's", tokens)
    report([t["position"] for t in tokens] == [0, 1, 2], "stop words keep their positions", tokens)
    report("stop" in tokens[1]["flags"], "en is flagged stop", tokens)
    text = "Cliënten en auto's".encode("utf-8")
    report(all(text[t["start"]:t["end"]].decode("utf-8") == t["surface"] for t in tokens),
           "offsets point at the original bytes", tokens)

    tokens = analyze("Noord-Holland")
    joined = analyze("noordholland")[0]["stem"]
    report(len(tokens) == 2 and joined in tokens[0]["extra"], "Noord-Holland: parts, and the joined whole",
           tokens)
    tokens = analyze("zorg- en onderwijsvernieuwing")
    completion = analyze("zorgvernieuwing")[0]["stem"]
    report(tokens[0]["surface"] == "zorg-" and completion in tokens[0]["extra"],
           "zorg- en onderwijsvernieuwing: zorg- carries zorgvernieuwing", tokens)
    tokens = analyze("o.a. 1.000 info@rivm.nl")
    report([t["flags"] for t in tokens] == [["abbrev"], ["number"], ["email"]],
           "abbreviation, number and e-mail flags", tokens)

    tokens = analyze("running organisations", "--lang", "en")
    report(tokens[0]["stem"] == "run", "--lang en uses English Snowball", tokens)

    status, out, _ = run(["analyze", "--format", "json"], stdin="auto's\n".encode())
    report(status == 0 and json.loads(out)["tokens"][0]["form"] == "auto", "reads standard input without TEXT")
    status, out, _ = run(["analyze", "--format", "json", "-"], stdin="foto's".encode())
    report(status == 0 and json.loads(out)["tokens"][0]["form"] == "foto", "reads standard input for '-'")
    status, out, _ = run(["analyze", "--format", "json"], stdin=b"")
    report(status == 0 and json.loads(out)["tokens"] == [], "empty input: no tokens")

    hostile = b"zorg\xff\xfehuis\x00x \xc3 \xc0\xaf \xef\x82\xb7 punt"
    status, out, err = run(["analyze", "--format", "json"], stdin=hostile)
    ok = status == 0
    if ok:
        tokens = json.loads(out)["tokens"]
        ok = [t["form"] for t in tokens] == ["zorg", "huis", "x", "punt"] and all(
            0 <= t["start"] < t["end"] <= len(hostile) and hostile[t["start"]:t["end"]].decode("utf-8") == t["surface"]
            for t in tokens)
    report(ok, "invalid UTF-8, NUL bytes and private-use characters separate words", out + err)

    status, out, _ = run(["analyze", "verpleeghuizen"])
    report(status == 0 and b"verpleeghuizen" in out and b"stem" in out, "text format prints the token")

    status, out, _ = run(["analyze", "--help"])
    report(status == 0 and out.startswith(b"usage: vind analyze"), "--help prints usage, exit 0")
    for args, what in ((["--lang", "fr", "x"], "unknown language"), (["--format", "xml", "x"], "unknown format"),
                       (["--bogus", "x"], "unknown option"), (["--lang"], "missing option value")):
        status, out, err = run(["analyze"] + args)
        report(status == 2 and b"usage:" in err, "%s: exit 2 with usage" % what, err)

    status, out, err = run(["analyze", "--datadir", "/nonexistent/vind", "zorg"])
    report(status == 2 and b"/nonexistent/vind" in err, "missing data directory: exit 2 naming it", err)

    status, out, _ = run(["--help"])
    report(status == 0 and b"analyze" in out, "vind --help lists analyze")

    print("1..%d" % count)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
