"""test_fuzz_regressions.py - replays every input the fuzzers ever kept as a
pass/fail test: each file under tests/fuzz/regressions/<target>/ runs once
through build-fuzz/fuzz_<target> (ASan + UBSan + libFuzzer's leak check) and
must exit 0. Each target's seeds (tests/fuzz/seeds/<target>/) run too, so a
seed that crashes is caught before a fuzz run starts from it.

The fuzzers come from `make fuzz-build` (clang + libclang-rt-14-dev), in
$VIND_FUZZ_BUILD or <repo>/build-fuzz; without them every check is skipped
(`make check-fuzz` builds them and then runs this file).
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import REPO, Tap  # noqa: E402

FUZZ_DIR = os.path.join(REPO, "tests", "fuzz")
REPLAY_TIMEOUT = 120  # seconds per replay; libFuzzer's own -timeout is 10 s per input


def fuzz_build():
    return os.path.abspath(os.environ.get("VIND_FUZZ_BUILD") or os.path.join(REPO, "build-fuzz"))


def targets():
    names = []
    for name in sorted(os.listdir(FUZZ_DIR)):
        if name.startswith("fuzz_") and name.endswith(".c"):
            names.append(name[len("fuzz_"):-len(".c")])
    return names


def files_in(folder):
    if not os.path.isdir(folder):
        return []
    return sorted(os.path.join(folder, f) for f in os.listdir(folder)
                  if os.path.isfile(os.path.join(folder, f)) and not f.startswith("."))


def last_lines(text):
    """The end of a fuzzer's output, for a failure's TAP detail: the harness
    prints a detail's first 2,000 characters, and libFuzzer's report (the
    sanitizer's, the input it kept) comes last, after its progress lines
    (session 16's CI showed only those)."""
    return "\n".join(text.splitlines()[-40:])[-1900:]


def replay(binary, inputs):
    """Runs binary once over the inputs; returns (passed, output tail)."""
    env = dict(os.environ)
    # UBSan must stop the run (the objects are built with -fno-sanitize-recover too).
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    env.pop("LSAN_OPTIONS", None)  # the unit tests' suppressions are not for fuzzers
    command = [binary, "-timeout=10", "-rss_limit_mb=2048"] + inputs
    try:
        run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             env=env, timeout=REPLAY_TIMEOUT)
    except subprocess.TimeoutExpired:
        return False, "timed out after %d s" % REPLAY_TIMEOUT
    text = run.stdout.decode("utf-8", "replace")
    return run.returncode == 0, last_lines(text)


def main():
    tap = Tap()
    build = fuzz_build()
    # A short fuzz run per target (make check sets VIND_FUZZ_SECONDS), once:
    # in the pass over the plain build, not again in the ASan pass.
    fuzz_seconds = int(os.environ.get("VIND_FUZZ_SECONDS", "0") or 0)
    if os.environ.get("VIND_PLAIN_BUILD") and os.environ.get("VIND_BUILD") and \
            os.path.realpath(os.environ["VIND_PLAIN_BUILD"]) != os.path.realpath(os.environ["VIND_BUILD"]):
        fuzz_seconds = 0
    for target in targets():
        binary = os.path.join(build, "fuzz_" + target)
        regressions = files_in(os.path.join(FUZZ_DIR, "regressions", target))
        seeds = files_in(os.path.join(FUZZ_DIR, "seeds", target))
        if not os.access(binary, os.X_OK):
            tap.skip("fuzz_%s replays its %d regression input(s) and seeds" % (target, len(regressions)),
                     "%s not built (make fuzz-build)" % binary)
            continue
        for path in regressions:
            passed, tail = replay(binary, [path])
            tap.ok(passed, "fuzz_%s: regression %s" % (target, os.path.basename(path)), tail)
        if seeds:
            passed, tail = replay(binary, seeds)
            tap.ok(passed, "fuzz_%s: its %d seeds run clean" % (target, len(seeds)), tail)
        if fuzz_seconds > 0:
            passed, tail = fuzz_briefly(binary, seeds, fuzz_seconds)
            tap.ok(passed, "fuzz_%s: %d s of fuzzing find no crash, leak, UB or timeout"
                   % (target, fuzz_seconds), tail)
    return tap.done()


def fuzz_briefly(binary, seeds, seconds):
    """A short libFuzzer run from the seeds (copied: libFuzzer adds to its
    corpus folder). Any crash, leak, UB report or timeout fails it; the
    input libFuzzer saves (crash-*, leak-*, timeout-*) is named in the tail
    for tests/fuzz/regressions/."""
    import shutil
    import tempfile
    with tempfile.TemporaryDirectory(prefix="vind-fuzz-") as work:
        corpus = os.path.join(work, "corpus")
        os.makedirs(corpus)
        for path in seeds:
            shutil.copy(path, corpus)
        env = dict(os.environ)
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        env.pop("LSAN_OPTIONS", None)
        command = [binary, "-max_total_time=%d" % seconds, "-timeout=10", "-rss_limit_mb=2048",
                   "-artifact_prefix=" + work + "/", corpus]
        try:
            run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 env=env, timeout=seconds + REPLAY_TIMEOUT)
        except subprocess.TimeoutExpired:
            return False, "did not stop after %d s" % (seconds + REPLAY_TIMEOUT)
        text = run.stdout.decode("utf-8", "replace")
        return run.returncode == 0, last_lines(text)


if __name__ == "__main__":
    sys.exit(main())
