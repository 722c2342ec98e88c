"""A real SPARQL client against `aikg serve`: SPARQLWrapper (pinned in
.ci/requirements.txt) runs every named query, at /queries/NAME with its
parameters and, for those without required parameters, as plain SPARQL at
/sparql, and must get the rows `aikg query NAME --format csv` prints.

    python tests/serve_client.py http://127.0.0.1:PORT path/to/aikg
"""
import csv
import io
import json
import subprocess
import sys
import urllib.request

from SPARQLWrapper import CSV, SPARQLWrapper

# A value for each required parameter, named as a user would.
SAMPLES = {
    "about": "id:Vietnam",
    "country": "Korea",
    "entity": "K-Cloud",
    "month": "2024-11",
    "organisation": "Inria",
    "launcher": "MSIT",
    "place": "Daejeon",
    "topic": "robotics",
}


def rows(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def query_type(query):
    """The form of the query. SPARQLWrapper guesses it with a regular
    expression that takes an apostrophe in a comment for the start of a
    string, and then calls "organisation's ... load" an UPDATE."""
    words = " ".join(l for l in query.splitlines() if not l.lstrip().startswith("#")).split()
    return next(w.upper() for w in words if w.upper() in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"))


def ask(endpoint, query, params):
    client = SPARQLWrapper(endpoint)
    client.setOnlyConneg(True)  # the format by Accept, as the protocol says
    client.setReturnFormat(CSV)
    client.setQuery(query)
    client.queryType = query_type(query)
    for name, value in params.items():
        client.addParameter(name, value)
    return rows(client.query().convert())


def main():
    base, aikg = sys.argv[1], sys.argv[2]
    queries = json.load(urllib.request.urlopen(base + "/queries"))
    passed, failed = 0, 0
    for q in queries:
        params = {p["name"]: SAMPLES[p["name"]] for p in q["params"] if not p["optional"]}
        cli = subprocess.run(
            [aikg, "query", q["name"], "--format", "csv"]
            + [f"--param={k}={v}" for k, v in params.items()],
            capture_output=True, check=True).stdout
        expected = rows(cli)
        attempts = [("named", base + q["url"], params)]
        if not params:
            attempts.append(("sparql", base + "/sparql", {}))
        for how, endpoint, given in attempts:
            got = ask(endpoint, q["sparql"], given)
            if got == expected:
                passed += 1
            else:
                failed += 1
                print(f"{q['name']} ({how}): {len(got) - 1} rows, the CLI {len(expected) - 1}",
                      file=sys.stderr)
        if len(expected) < 2 and q["name"] not in ("institute-cities", "university-founding"):
            failed += 1
            print(f"{q['name']}: no rows, a weak comparison: give it a better sample", file=sys.stderr)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
