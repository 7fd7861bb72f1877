#!/usr/bin/python3
"""Extract the examples of a Markdown file for tests/e2e/readme_examples.sh.

usage: readme_examples.py FILE.md OUTDIR
       readme_examples.py --transcript BODY OUTDIR
       readme_examples.py --match EXPECTED ACTUAL

An example is a fenced code block preceded by a marker line
    <!-- example: NAME key=value key="a value" ... -->
For each one, OUTDIR/NAME.body holds the block's text exactly as written and
OUTDIR/NAME.attrs holds `key<TAB>value` lines (file, line, lang, and the
marker's keys).  The names are appended to OUTDIR/index in file order, so
several files can share an OUTDIR (a name used twice there is an error).

Every ```sh block must have a marker (a `skip="why"` one at least): a shell
example no test runs is an error naming its line, exit 1.  So is a marker
that is not followed by a fenced block, or a name used twice.

A transcript block holds `$ command` lines (continued with a trailing
backslash) each followed by its output; --transcript writes OUTDIR/N.cmd and
OUTDIR/N.exp for the Nth command.  --match compares an expected output with
the actual one: lines equal, in order, with nothing between them; a line
`...` stands for any number of lines, and a line ending in `...` for any
line that starts with the text before it.  Exit 1 with the first mismatch.
"""
import os
import re
import shlex
import sys

MARK = re.compile(r"^<!-- example: (\S+)(.*?)\s*-->\s*$")


def main(readme, outdir):
    lines = open(readme, encoding="utf-8").read().split("\n")
    os.makedirs(outdir, exist_ok=True)
    errors, names, pending = [], [], None
    i = 0
    while i < len(lines):
        m = MARK.match(lines[i])
        if m:
            if pending:
                errors.append(f"{readme}:{pending[2]}: marker for {pending[0]} is not followed by a code block")
            pending = (m.group(1), m.group(2), i + 1)
            i += 1
            continue
        if lines[i].startswith("```"):
            lang = lines[i][3:].strip()
            start = i + 1
            j = start
            while j < len(lines) and lines[j] != "```":
                j += 1
            if j == len(lines):
                errors.append(f"{readme}:{start}: code block never closed")
                break
            body = lines[start:j]
            if pending:
                name, rest, mline = pending
                if name in names or os.path.exists(os.path.join(outdir, name + ".attrs")):
                    errors.append(f"{readme}:{mline}: example name {name} used twice")
                names.append(name)
                attrs = {"file": readme, "line": str(start), "lang": lang}
                for tok in shlex.split(rest):
                    k, _, v = tok.partition("=")
                    attrs[k] = v
                with open(os.path.join(outdir, name + ".body"), "w", encoding="utf-8") as f:
                    f.write("\n".join(body) + "\n")
                with open(os.path.join(outdir, name + ".attrs"), "w", encoding="utf-8") as f:
                    for k, v in attrs.items():
                        f.write(f"{k}\t{v}\n")
            elif lang == "sh":
                errors.append(f"{readme}:{start}: a shell example that no test runs: put "
                              "<!-- example: NAME root=fixtures/... --> (or skip=\"why\") before it")
            pending = None
            i = j + 1
            continue
        if pending and lines[i].strip():
            errors.append(f"{readme}:{pending[2]}: marker for {pending[0]} is not followed by a code block")
            pending = None
        i += 1
    with open(os.path.join(outdir, "index"), "a", encoding="utf-8") as f:
        f.write("".join(n + "\n" for n in names))
    for e in errors:
        print(e, file=sys.stderr)
    return 1 if errors else 0


def transcript(body, outdir):
    os.makedirs(outdir, exist_ok=True)
    n, cmd, exp, cont = 0, None, [], False
    def flush():
        if cmd is not None:
            open(os.path.join(outdir, f"{n}.cmd"), "w").write(cmd + "\n")
            open(os.path.join(outdir, f"{n}.exp"), "w").write("".join(l + "\n" for l in exp))
    for line in open(body, encoding="utf-8").read().rstrip("\n").split("\n"):
        if cont:
            cmd += "\n" + line
            cont = line.endswith("\\")
        elif line.startswith("$ "):
            flush()
            n, cmd, exp = n + 1, line[2:], []
            cont = line.endswith("\\")
        elif cmd is None:
            print(f"{body}: output before the first $ command: {line}", file=sys.stderr)
            return 1
        else:
            exp.append(line)
    flush()
    return 0 if n else 1


def line_ok(want, got):
    return want == got or (want.endswith("...") and got.startswith(want[:-3]))


def match(expected, actual):
    want = open(expected, encoding="utf-8").read().rstrip("\n").split("\n")
    got = open(actual, encoding="utf-8").read().rstrip("\n").split("\n")
    # segments of consecutive lines between the `...` lines
    segs, cur = [], []
    for w in want:
        if w == "...":
            segs.append(cur)
            cur = []
        else:
            cur.append(w)
    segs.append(cur)
    pos = 0
    for k, seg in enumerate(segs):
        first, last = k == 0, k == len(segs) - 1
        starts = [0] if first else range(pos, len(got) - len(seg) + 1)
        if last and not first:
            starts = [len(got) - len(seg)] if len(got) - len(seg) >= pos else []
        found = None
        for s in starts:
            if s + len(seg) <= len(got) and all(line_ok(w, g) for w, g in zip(seg, got[s:s + len(seg)])):
                found = s
                break
        if found is None or (first and last and len(seg) != len(got)):
            # name the first line of the segment that does not match where it should
            s = starts[0] if starts else pos
            for off, w in enumerate(seg):
                g = got[s + off] if s + off < len(got) else "(end of output)"
                if not line_ok(w, g):
                    print(f"expected: {w}\nactual:   {g}", file=sys.stderr)
                    break
            else:
                print("the output goes on after the last expected line "
                      f"(add a `...` line): {got[s + len(seg)] if s + len(seg) < len(got) else ''}",
                      file=sys.stderr)
            return 1
        pos = found + len(seg)
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "--transcript":
        sys.exit(transcript(sys.argv[2], sys.argv[3]))
    if sys.argv[1] == "--match":
        sys.exit(match(sys.argv[2], sys.argv[3]))
    sys.exit(main(sys.argv[1], sys.argv[2]))
