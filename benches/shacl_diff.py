#!/usr/bin/env python3
"""Compares aikg's SHACL report with pySHACL's, result for result.

    shacl_diff.py SHAPES DATA AIKG_REPORT.ttl

Runs pySHACL on DATA with SHAPES (no inference, as aikg), reads aikg's
`--format ttl` report, and compares sh:conforms and the multiset of results
by (focus node, path, value, source shape, constraint component, severity),
as the W3C test suite compares reports. Exit 0 when they are the same.
"""
import collections
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
        # Describe a blank node by its own triples (shapes here are named).
        return "[" + " ; ".join(sorted(f"{p.n3()} {o.n3()}" for p, o in g.predicate_objects(t))) + "]"
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


def main():
    shapes_path, data_path, aikg_report = sys.argv[1:4]
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
    print(f"pySHACL: {sum(py.values())} results (conforms={py_conforms}); aikg: {sum(ak.values())} results (conforms={ak_conforms})")
    for component, n in sorted(by_component.items()):
        print(f"  {n:6d}  {component}")
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
