#!/usr/bin/env python3
"""Compares aikg's SHACL report with pySHACL's, result for result.

    shacl_diff.py SHAPES DATA AIKG_REPORT.ttl [--every-component]
    shacl_diff.py generate SEED PERSONS RATE > DATA.nt

`generate` writes the graph of benches/shacl_diff.ttl: persons with a
defect planted, round robin, for every constraint component the shapes use
(blank-node addresses, companies, a family tree for the paths and the
SPARQL constraint), deterministic for a seed. With --every-component the
comparison also fails if some component of the shapes fired in neither
report (a defect that plants nothing).

Runs pySHACL on DATA with SHAPES (no inference, as aikg), reads aikg's
`--format ttl` report, and compares sh:conforms and the multiset of results
by (focus node, path, value, source shape, constraint component, severity),
as the W3C test suite compares reports. Exit 0 when they are the same.
"""
import collections
import random
import sys

import pyshacl
from rdflib import BNode, Graph, Namespace, RDF
from rdflib.collection import Collection

SH = Namespace("http://www.w3.org/ns/shacl#")


def path_text(g, node):
    """A path as SPARQL path text (blank-node paths compared by structure)."""
    if node is None:
        return None
    if not isinstance(node, BNode):
        return node.n3()
    if (node, RDF.first, None) in g:
        return "(" + " / ".join(path_text(g, n) for n in Collection(g, node)) + ")"
    for p, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
        inner = g.value(node, p)
        if inner is not None:
            return fmt.format(path_text(g, inner))
    alt = g.value(node, SH.alternativePath)
    if alt is not None:
        return "(" + " | ".join(path_text(g, n) for n in Collection(g, alt)) + ")"
    raise ValueError(f"not a path: {node}")


def term_text(g, t):
    if t is None:
        return None
    if isinstance(t, BNode):
        # Every shape here is named, so a blank node is a node of the data.
        # Its label differs from tool to tool (each parser and serialiser
        # makes its own) and aikg's report does not repeat its triples, so
        # blank nodes compare as "some blank node": the counts per path,
        # value, shape and component still have to agree.
        return "_:"
    return t.n3()


def results(g):
    report = next(g.subjects(RDF.type, SH.ValidationReport))
    conforms = g.value(report, SH.conforms).toPython()
    out = collections.Counter()
    for r in g.objects(report, SH.result):
        out[(
            term_text(g, g.value(r, SH.focusNode)),
            path_text(g, g.value(r, SH.resultPath)),
            term_text(g, g.value(r, SH.value)),
            term_text(g, g.value(r, SH.sourceShape)),
            term_text(g, g.value(r, SH.sourceConstraintComponent)),
            term_text(g, g.value(r, SH.resultSeverity)),
        )] += 1
    return conforms, out


EX = "http://example.org/diff#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def generate(seed, persons, rate, out):
    """The data of benches/shacl_diff.ttl, as N-Triples, with defects."""
    rng = random.Random(seed)
    lines = []

    def t(s, p, o):
        lines.append(f"{s} {p} {o} .")

    iri = lambda local: f"<{EX}{local}>"
    lit = lambda v, dt=None, lang=None: (
        f'"{v}"@{lang}' if lang else f'"{v}"^^<{XSD}{dt}>' if dt else f'"{v}"'
    )
    a = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    depth = [0] * persons
    for i in range(1, persons):
        depth[i] = depth[(i - 1) // 3] + 1
    defects = [
        "no-name", "two-names", "name-lang", "short-name", "long-name", "lower-name",
        "age-string", "age-negative", "age-200", "score-0", "score-11", "email-literal",
        "email-http", "label-de", "two-en-labels", "knows-thing", "blocks-known",
        "address-iri", "address-no-city", "address-zip", "address-street", "start-after-end",
        "start-is-end", "alias-nick", "status-unknown", "code-abc", "code-000", "contact-lang",
        "height-small", "phone-none", "phone-three", "three-parents", "parent-thing",
        "parent-literal", "retired", "extra", "older-than-parent",
    ]
    planted = collections.Counter()
    next_defect = rng.randrange(len(defects))
    for i in range(persons):
        d = None
        if rng.random() < rate:
            d = defects[next_defect % len(defects)]
            next_defect += 1
            planted[d] += 1
        p = iri(f"p{i}")
        t(p, a, iri("Person"))
        t(p, iri("key"), lit(f"p{i}"))
        name = {"short-name": "A", "long-name": "Abcdefghijklmn", "lower-name": f"p{i}"}.get(d, f"P{i}")
        if d != "no-name":
            t(p, iri("name"), lit(name, lang="en") if d == "name-lang" else lit(name))
        if d == "two-names":
            t(p, iri("name"), lit(f"Q{i}"))
        parent = iri(f"p{(i - 1) // 3}") if i > 0 else None
        age = 120 - 10 * depth[i]
        if d == "older-than-parent" and parent:
            age += 10
        age_lit = {"age-string": lit("old"), "age-negative": lit(-1, "integer"), "age-200": lit(200, "integer")}
        t(p, iri("age"), age_lit.get(d, lit(age, "integer")))
        t(p, iri("score"), lit({"score-0": "0", "score-11": "11"}.get(d, "5.5"), "decimal"))
        if d == "email-literal":
            t(p, iri("email"), lit(f"mailto:p{i}@example.org"))
        else:
            t(p, iri("email"), f"<http://example.org/p{i}>" if d == "email-http" else f"<mailto:p{i}@example.org>")
        t(p, label, lit(f"P{i}", lang="de" if d == "label-de" else "en"))
        t(p, label, lit(f"Pe{i}", lang="en" if d == "two-en-labels" else "fr"))
        known = iri("thing") if d == "knows-thing" else iri(f"p{(i + 1) % persons}")
        t(p, iri("knows"), known)
        t(p, iri("blocks"), known if d == "blocks-known" else iri(f"p{(i + 2) % persons}"))
        if d == "address-iri":
            t(p, iri("address"), iri(f"addr{i}"))
        else:
            b = f"_:a{i}"
            t(p, iri("address"), b)
            t(b, iri("key"), lit(f"a{i}"))
            if d != "address-no-city":
                t(b, iri("city"), lit("Lyon"))
            t(b, iri("zip"), lit("123" if d == "address-zip" else "69001"))
            if d == "address-street":
                t(b, iri("street"), lit("rue"))
        start = {"start-after-end": "2022-01-01", "start-is-end": "2021-01-01"}.get(d, "2020-01-01")
        t(p, iri("start"), lit(start, "date"))
        t(p, iri("end"), lit("2021-01-01", "date"))
        t(p, iri("alias"), lit(f"al{i}"))
        t(p, iri("nick"), lit(f"nick{i}" if d == "alias-nick" else f"al{i}"))
        if i > 0:
            status = {"status-unknown": "unknown", "retired": "retired"}.get(d, "active")
            t(p, iri("status"), lit(status))
        t(p, iri("code"), lit({"code-abc": "abc", "code-000": "000"}.get(d, "123")))
        t(p, iri("contact"), lit("call", lang="en") if d == "contact-lang" else f"<http://example.org/contact/{i}>")
        t(p, iri("height"), lit("0.2" if d == "height-small" else "1.75", "decimal"))
        phones = {"phone-none": ["0123"], "phone-three": ["+1", "+2", "+3"]}.get(d, ["+331234"])
        for ph in phones:
            t(p, iri("phone"), lit(ph))
        if parent:
            t(p, iri("parent"), parent)
        if d == "three-parents":
            for j in range(3):
                t(p, iri("parent"), iri(f"p{(i + j + 5) % persons}"))
        if d == "parent-thing":
            t(p, iri("parent"), iri("thing2"))
        if d == "parent-literal":
            t(p, iri("parent"), lit("nobody"))
        if d == "extra":
            t(p, iri("extra"), lit("x"))
        if i % 10 == 9:
            c = iri(f"c{i // 10}")
            if rng.random() < 0.7:
                t(c, iri("kind"), iri("Company"))
            for j in (i - 1, i):
                t(c, iri("employs"), iri(f"p{j}"))
    print("\n".join(lines), file=out)
    print(f"seed {seed}: {persons} persons, {sum(planted.values())} defects planted "
          f"({len(planted)} kinds of {len(defects)})", file=sys.stderr)


def main():
    if sys.argv[1] == "generate":
        seed, persons, rate = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
        generate(seed, persons, rate, sys.stdout)
        return 0
    shapes_path, data_path, aikg_report = sys.argv[1:4]
    every_component = "--every-component" in sys.argv[4:]
    data = Graph()
    data.parse(data_path)
    shapes = Graph()
    shapes.parse(shapes_path)
    _, py_graph, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False, meta_shacl=False)
    aikg_graph = Graph()
    aikg_graph.parse(aikg_report, format="turtle")
    py_conforms, py = results(py_graph)
    ak_conforms, ak = results(aikg_graph)
    by_component = collections.Counter()
    for key, n in py.items():
        by_component[key[4]] += n
    print(f"pySHACL {pyshacl.__version__}: {sum(py.values())} results (conforms={py_conforms}); aikg: {sum(ak.values())} results (conforms={ak_conforms})")
    for component, n in sorted(by_component.items()):
        print(f"  {n:6d}  {component}")
    if every_component:
        used = set()
        for p, o in shapes.predicate_objects():
            if str(p).startswith(str(SH)):
                local = str(p)[len(str(SH)):]
                name = {"qualifiedValueShape": None, "flags": None, "ignoredProperties": None,
                        "path": None, "targetClass": None, "targetNode": None, "targetSubjectsOf": None,
                        "targetObjectsOf": None, "property": "Property", "sparql": "SPARQL",
                        "prefixes": None, "declare": None, "prefix": None, "namespace": None,
                        "select": None, "message": None, "alternativePath": None, "inversePath": None,
                        "zeroOrMorePath": None, "oneOrMorePath": None, "zeroOrOnePath": None,
                        "uniqueLang": "UniqueLang"}.get(local, local[:1].upper() + local[1:])
                if name:
                    used.add(f"<{SH}{name}ConstraintComponent>")
        # sh:property: a property shape reports its own results.
        used.discard(f"<{SH}PropertyConstraintComponent>")
        silent = sorted(c for c in used if by_component[c] == 0)
        if silent:
            print(f"no defect fired these components: {silent}")
            return 1
    missing = py - ak
    extra = ak - py
    if py_conforms != ak_conforms or missing or extra:
        for key, n in sorted(missing.items()):
            print(f"only pySHACL ({n}x): {key}")
        for key, n in sorted(extra.items()):
            print(f"only aikg ({n}x): {key}")
        print("DIFFERENT")
        return 1
    print("SAME: every result of pySHACL is in aikg's report and vice versa")
    return 0


if __name__ == "__main__":
    sys.exit(main())
