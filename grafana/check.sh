#!/usr/bin/env bash
# Checks everything under grafana/: the alert rules (promtool check + unit tests), the
# dashboards (valid JSON, required variables, a unit and a description on every panel, no
# hard-coded data source) and that every PromQL expression in the dashboards parses once the
# Grafana variables are substituted. Needs promtool and python3. Exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

command -v promtool >/dev/null || { echo "check.sh: promtool not found (Debian/Ubuntu: apt-get install prometheus)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "check.sh: python3 not found" >&2; exit 2; }

echo "== promtool check rules"
promtool check rules "$here/alerts/socketio-canary-rules.yml"

echo "== promtool test rules"
(cd "$here/alerts" && promtool test rules socketio-canary-rules.test.yml)

echo "== dashboards"
python3 - "$here" "$tmp/dashboard-exprs.yml" <<'PY'
import json, re, sys
from pathlib import Path

here, out = Path(sys.argv[1]), Path(sys.argv[2])
DS = {"type": "prometheus", "uid": "${datasource}"}
# What Grafana puts in for each variable; longest names first so no name eats another's prefix.
SUBST = [("${datasource}", "prometheus"), ("$__rate_interval", "5m"), ("$__interval", "1m"),
         ("$__range", "1h"), ("$compare_offset", "1h"), ("$target", ".*"), ("$transport", ".*"),
         ("$vantage", ".*"), ("$rollout", ".*"), ("$job", "socketio-canary")]
errors, exprs = [], []

def err(where, msg):
    errors.append(f"{where}: {msg}")

def walk_panels(panels):
    for p in panels:
        yield p
        yield from walk_panels(p.get("panels", []))

def check_datasources(node, where):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "datasource" and v != DS:
                err(where, f"datasource must be {json.dumps(DS)}, found {json.dumps(v)}")
            else:
                check_datasources(v, where)
    elif isinstance(node, list):
        for v in node:
            check_datasources(v, where)

def need_var(name, variables, where, **expected):
    v = variables.get(name)
    if v is None:
        return err(where, f"missing template variable ${name}")
    for key, want in expected.items():
        if v.get(key) != want:
            err(where, f"variable ${name}: {key} should be {want!r}, is {v.get(key)!r}")

for name, extra in (("socketio-canary-overview.json", ()), ("socketio-canary-rollout.json", ("compare_offset",))):
    path = here / "dashboards" / name
    try:
        d = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        err(name, f"not valid JSON: {e}")
        continue
    if not isinstance(d.get("schemaVersion"), int) or d["schemaVersion"] < 39:
        err(name, f"schemaVersion must be >= 39, is {d.get('schemaVersion')!r}")
    variables = {v.get("name"): v for v in d.get("templating", {}).get("list", [])}
    need_var("datasource", variables, name, type="datasource", query="prometheus")
    for v in ("target", "transport", "vantage"):
        need_var(v, variables, name, type="query", multi=True, includeAll=True, allValue=".*")
    if name == "socketio-canary-overview.json":
        need_var("rollout", variables, name, type="query", multi=True, includeAll=True, allValue=".*")
    # Each dashboard links to the other, keeping the time range and the variables.
    other = "socketio-canary-rollout" if "overview" in name else "socketio-canary-overview"
    if not any(l.get("keepTime") and l.get("includeVars") and f"/d/{other}/" in l.get("url", "")
               for l in d.get("links", [])):
        err(name, f"needs a link to /d/{other}/ with keepTime and includeVars")
    if "compare_offset" in extra:
        need_var("compare_offset", variables, name, type="custom")
        opts = [o.strip() for o in variables.get("compare_offset", {}).get("query", "").split(",")]
        if opts != ["1h", "6h", "1d", "7d"]:
            err(name, f"compare_offset options should be 1h,6h,1d,7d, are {opts}")
    for vname, v in variables.items():
        if v.get("type") != "datasource":
            check_datasources(v, f"{name} variable ${vname}")
        m = re.fullmatch(r"\s*label_values\((.*),\s*\w+\)\s*", v.get("definition", ""))
        if m:
            exprs.append((f"{name} variable ${vname}", m.group(1)))
    for a in d.get("annotations", {}).get("list", []):
        check_datasources(a, f"{name} annotation {a.get('name')!r}")
        if a.get("expr"):
            exprs.append((f"{name} annotation {a.get('name')!r}", a["expr"]))
    panels = list(walk_panels(d.get("panels", [])))
    if not panels:
        err(name, "no panels")
    for p in panels:
        where = f"{name} panel {p.get('title')!r}"
        check_datasources(p, where)
        if p.get("type") == "row":
            continue
        if not p.get("fieldConfig", {}).get("defaults", {}).get("unit"):
            err(where, "has no unit (fieldConfig.defaults.unit)")
        desc = (p.get("description") or "").strip()
        if not desc or "\n" in desc:
            err(where, "needs a one-line description")
        if not p.get("targets"):
            err(where, "has no queries")
        for t in p.get("targets", []):
            if not t.get("expr"):
                err(where, f"query {t.get('refId')} has no expr")
            else:
                exprs.append((f"{where} query {t.get('refId')}", t["expr"]))

# Every expression becomes a recording rule so that promtool parses it.
rules = []
for i, (where, e) in enumerate(exprs):
    for var, value in SUBST:
        e = e.replace(var, value)
    if "$" in e:
        err(where, f"unknown variable left after substitution: {e}")
    rules.append({"record": f"dashboard_expr_{i}", "expr": e, "labels": {"source": where}})
out.write_text(json.dumps({"groups": [{"name": "dashboard-expressions", "rules": rules}]}, indent=1))
print(f"{len(exprs)} expressions from dashboards")
for e in errors:
    print("FAIL", e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY

echo "== dashboard PromQL parses (variables substituted)"
promtool check rules "$tmp/dashboard-exprs.yml"

echo "== runbook anchors"
python3 - "$here" <<'PY'
import re, sys
from pathlib import Path
here = Path(sys.argv[1])
rules = (here / "alerts/socketio-canary-rules.yml").read_text()
docs = [here.parent / "README.md"]
bad = 0
for alert in re.findall(r"- alert: (\w+)", rules):
    anchor = "alert-" + alert.lower()
    if f"README.md#{anchor}" not in rules:
        print(f"FAIL {alert}: runbook_url does not point at README.md#{anchor}", file=sys.stderr); bad = 1
    for doc in docs:
        # GitHub anchors: an explicit id, or a heading "Alert: <Name>" (slug alert-<name>).
        text = doc.read_text()
        if f'id="{anchor}"' not in text and not re.search(rf"^#+ Alert:? {alert}\s*$", text, re.M):
            print(f"FAIL {alert}: no #{anchor} section in {doc}", file=sys.stderr); bad = 1
print(f"  checked {len(re.findall(r'- alert: ', rules))} alerts against {', '.join(d.name for d in docs)}")
sys.exit(bad)
PY

echo "== provisioning YAML"
if python3 -c "import yaml" 2>/dev/null; then
  for f in "$here"/provisioning/*/*.yml; do
    python3 -c "import sys, yaml; yaml.safe_load(open(sys.argv[1]))" "$f" && echo "  ok ${f#$here/}"
  done
else
  echo "  skipped: python3 has no yaml module"
fi

echo "== all checks passed"
