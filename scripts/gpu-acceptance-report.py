"""Assembles scripts/gpu-acceptance.sh's step logs into one JSON report.

usage: gpu-acceptance-report.py LOG_DIR OUT_JSON PYTHON
Numbers are read from the Spectre.Console tables the benches print ("| measurement | value |" rows) and from
doctor's per-component lines; every step also keeps the tail of its raw output, so nothing is lost when a
table's wording changes.
"""
import json
import platform
import re
import subprocess
import sys
from pathlib import Path

ROW = re.compile(r"^[\s│|]*(?P<key>[^│|]+?)\s*[│|]\s*(?P<value>[^│|]+?)\s*[│|]\s*$")
COMPONENT = re.compile(r"^(?P<component>[\w_]+): (?P<status>pass|FAIL) (?P<passed>\d+) passed, (?P<failed>\d+) failed, worst error (?P<worst>\S+)")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def rows(text):
    """Two-column table rows as a dict; wider tables as lists of cells."""
    pairs, wide = {}, []
    for line in text.splitlines():
        cells = [c.strip() for c in re.split(r"[│|]", line) if c.strip()]
        if len(cells) == 2 and (m := ROW.match(line)):
            pairs[m["key"].strip()] = m["value"].strip()
        elif len(cells) > 2 and not set(line.strip()) <= set("─━┼┬┴╭╮╰╯┌┐└┘├┤ -+"):
            wide.append(cells)
    return pairs, wide


def gpu():
    try:
        return subprocess.run(["nvidia-smi", "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader"],
                              capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def main():
    logs, out, python = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    torch_version = subprocess.run([python, "-c", "import torch; print(torch.__version__, torch.version.cuda)"],
                                   capture_output=True, text=True).stdout.strip()
    report = {"host": platform.node(), "gpu": gpu(), "torch": torch_version, "steps": {}}
    for line in (logs / "steps").read_text().splitlines():
        name, rc, millis = line.split()
        text = ANSI.sub("", (logs / f"{name}.log").read_text(errors="replace"))
        pairs, wide = rows(text)
        step = {"exit_code": int(rc), "seconds": round(int(millis) / 1000, 2), "output_tail": text.splitlines()[-60:]}
        if name == "doctor":
            step["components"] = [m.groupdict() for l in text.splitlines() if (m := COMPONENT.match(l.strip()))]
        if pairs:
            step["values"] = pairs
        if wide:
            step["tables"] = wide
        report["steps"][name] = step
    report["passed"] = all(s["exit_code"] == 0 for s in report["steps"].values())
    out.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
