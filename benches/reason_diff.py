#!/usr/bin/env python3
"""Differential test of aikg's reasoner against owlrl (the RDFLib OWL 2 RL
reasoner): on the same triples, what `aikg infer --reasoning rl` infers must
equal what owlrl's OWLRL_Semantics infers, restricted to the rules aikg
implements.

    reason_diff.py AIKG FILE...      (prints a table; exit 1 on a difference)

The files are merged into one graph (blank nodes skolemised to IRIs, so
that both tools see the same names) and written as N-Triples for aikg.

Left aside, on owlrl's side only, each with its reason (counted in the
table): they are outside the rule set aikg implements, or not RDF.

  - owl:sameAs to another namespace: aikg keeps such a triple as a link, an
    ordinary statement, and never merges an external id's statements into
    the graph's own entities (the links of data/links to Wikidata, GeoNames,
    ROR); owlrl would. So owlrl's input has these triples under a stand-in
    predicate, put back in its output.
  - eq-ref: x owl:sameAs x for every term.
  - scm-cls, scm-op, scm-dp: c rdfs:subClassOf c, c owl:equivalentClass c,
    p rdfs:subPropertyOf p, p owl:equivalentProperty p, c rdfs:subClassOf
    owl:Thing, owl:Nothing rdfs:subClassOf c, and what follows from
    c rdfs:subClassOf owl:Thing through the implemented rules: x rdf:type
    owl:Thing, p rdfs:domain owl:Thing, p rdfs:range owl:Thing.
  - cls-thing, cls-nothing1: owl:Thing / owl:Nothing rdf:type owl:Class.
  - prp-ap: rdfs:label, rdfs:comment... rdf:type owl:AnnotationProperty.
  - dt-type1, dt-type2, dt-diff: datatypes rdf:type rdfs:Datatype, literals
    typed with their datatype, datatypes owl:disjointWith each other.
  - triples with a literal subject (generalised RDF: prp-rng, prp-symp,
    prp-inv on a literal value); aikg reports those uses in `aikg check`.
  - owlrl's error reports (new blank nodes typed err:ErrorMessage): printed.
  - prp-fp, prp-ifp, cls-*, cax-dw and the other rules aikg does not
    implement (aikg infer lists the axioms it does not use): any triple they
    add is a difference, so the test shows whether the inputs use them.
"""
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import owlrl
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

ERR = "http://www.daml.org/2002/03/agents/agent-ont#"
LINK = URIRef("urn:x-aikg:link")


def namespace(iri):
    i = max(iri.rfind("/"), iri.rfind("#"))
    return iri[: i + 1] if i >= 0 else iri


def read(paths):
    """The merge of the files' graphs, blank nodes skolemised."""
    merged = set()
    for path in paths:
        fmt = {
            ".ttl": "turtle",
            ".trig": "trig",
            ".nt": "nt",
            ".nq": "nquads",
        }[Path(path).suffix]
        ds = Dataset()
        ds.parse(path, format=fmt)
        prefix = f"urn:x-bnode:{abs(hash(path)) % 10**8}:"

        def skolem(t):
            return URIRef(prefix + str(t)) if isinstance(t, BNode) else t

        for s, p, o, _ in ds.quads((None, None, None, None)):
            merged.add((skolem(s), skolem(p), skolem(o)))
    return merged


def excluded(t):
    """Why owlrl's triple t is left aside, or None if aikg must infer it too."""
    s, p, o = t
    if isinstance(s, Literal):
        return "literal subject (generalised RDF)"
    if isinstance(s, BNode) or isinstance(o, BNode):
        return "owlrl error report"
    if p == OWL.sameAs and s == o:
        return "eq-ref (x owl:sameAs x)"
    if s == o and p in (RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf, OWL.equivalentProperty):
        return "scm-cls/scm-op/scm-dp (reflexive)"
    if (p == RDFS.subClassOf and o == OWL.Thing) or (p == RDFS.subClassOf and s == OWL.Nothing):
        return "scm-cls (owl:Thing, owl:Nothing)"
    if p == RDF.type and o == OWL.Thing:
        return "x rdf:type owl:Thing (from scm-cls)"
    if p in (RDFS.domain, RDFS.range) and o == OWL.Thing:
        return "domain/range owl:Thing (from scm-cls)"
    if p == RDF.type and o == OWL.Class and s in (OWL.Thing, OWL.Nothing):
        return "cls-thing, cls-nothing1"
    if p == RDF.type and o == OWL.AnnotationProperty:
        return "prp-ap"
    if p == RDF.type and o == RDFS.Datatype:
        return "dt-type1"
    if p == OWL.disjointWith and str(s).startswith(str(XSD)) and str(o).startswith(str(XSD)):
        return "dt-diff"
    if p == RDF.type and (str(o).startswith(str(XSD)) or o == RDF.PlainLiteral or o == RDF.XMLLiteral or o == RDFS.Literal):
        return "dt-type2"
    return None


def main():
    aikg, paths = sys.argv[1], sys.argv[2:]
    triples = read(paths)
    links = {
        t for t in triples
        if t[1] == OWL.sameAs and not (
            isinstance(t[0], URIRef) and isinstance(t[2], URIRef)
            and namespace(str(t[0])) == namespace(str(t[2]))
        )
    }
    with tempfile.TemporaryDirectory() as tmp:
        graph = Graph()
        for t in triples:
            graph.add(t)
        data = Path(tmp, "input.nt")
        graph.serialize(data, format="nt", encoding="utf-8")
        out = Path(tmp, "aikg.nt")
        started = time.perf_counter()
        subprocess.run([aikg, "--reasoning", "rl", "infer", str(data), "-o", str(out)],
                       check=True, stdout=subprocess.DEVNULL)
        aikg_seconds = time.perf_counter() - started
        inferred_aikg = set(Graph().parse(out, format="nt")) if out.stat().st_size else set()

    g = Graph()
    for t in triples - links:
        g.add(t)
    for s, _, o in links:
        g.add((s, LINK, o))
    before = set(g)
    started = time.perf_counter()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, rdfs_closure=False,
                           axiomatic_triples=False, datatype_axioms=False).expand(g)
    owlrl_seconds = time.perf_counter() - started
    inferred_owlrl = {(s, OWL.sameAs if p == LINK else p, o) for s, p, o in set(g) - before}
    reasons = Counter()
    kept = set()
    for t in inferred_owlrl:
        why = excluded(t)
        if why:
            reasons[why] += 1
        else:
            kept.add(t)
    errors = [o for s, p, o in g if p == URIRef(ERR + "error")]

    print(f"{'input triples':<50} {len(triples):>9}")
    print(f"{'  owl:sameAs to another namespace (links)':<50} {len(links):>9}")
    print(f"{'aikg inferred':<50} {len(inferred_aikg):>9}   {aikg_seconds:.2f}s (process)")
    print(f"{'owlrl inferred':<50} {len(inferred_owlrl):>9}   {owlrl_seconds:.2f}s (closure)")
    for why, n in sorted(reasons.items()):
        print(f"{'  left aside: ' + why:<50} {n:>9}")
    print(f"{'owlrl inferred, in aikg rules':<50} {len(kept):>9}")
    only_aikg = inferred_aikg - kept
    only_owlrl = kept - inferred_aikg
    print(f"{'common':<50} {len(inferred_aikg & kept):>9}")
    print(f"{'only aikg':<50} {len(only_aikg):>9}")
    print(f"{'only owlrl':<50} {len(only_owlrl):>9}")
    for message in errors:
        print(f"owlrl reports: {message}")
    for label, diff in (("only aikg", only_aikg), ("only owlrl", only_owlrl)):
        for t in sorted(diff)[:20]:
            print(f"{label}: {t[0].n3()} {t[1].n3()} {t[2].n3()} .")
    if only_aikg or only_owlrl:
        sys.exit(1)
    print("same inferred triples")


if __name__ == "__main__":
    main()
