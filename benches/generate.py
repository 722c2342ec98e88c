#!/usr/bin/env python3
"""Deterministic generator of a synthetic AI-ecosystem graph, shaped like aikg's
data: countries, cities, organisations of every kind with their units,
programmes, fundings (n-ary nodes with KRW/EUR amounts and dates), projects
with partners, people. Same arguments, same bytes.

    python3 benches/generate.py --triples 1000000 > /tmp/gen-1m.nt
    python3 benches/generate.py --triples 100000 --defects 0.01 > /tmp/gen-100k.nt

--defects P plants defects in about P of the entities (a missing label, a
funding with a negative amount or a non-ISO currency, a date of the wrong
type, locatedIn pointing at an organisation, two countries): the SHACL
benchmarks and the differential test use them.
"""
import argparse
import random
import sys

AIKG = "https://w3id.org/aikg/ontology#"
ID = "https://w3id.org/aikg/gen/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"

ORG_KINDS = ["Ministry", "Agency", "ResearchInstitute", "University", "Company"]
TOPICS = ["natural language processing", "computer vision", "robotics", "AI safety",
          "semiconductors", "cloud computing", "generative AI", "bioinformatics"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--defects", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout
    written = 0

    def iri(local):
        return f"<{ID}{local}>"

    def t(s, p, o):
        nonlocal written
        out.write(f"{s} {p} {o} .\n")
        written += 1

    def a(local):
        return f"<{AIKG}{local}>"

    def lit(value, lang=None, dtype=None):
        value = value.replace("\\", "\\\\").replace('"', '\\"')
        if lang:
            return f'"{value}"@{lang}'
        if dtype:
            return f'"{value}"^^<{XSD}{dtype}>'
        return f'"{value}"'

    def defect():
        return args.defects > 0 and rng.random() < args.defects

    countries = [iri(f"country-{i}") for i in range(40)]
    for i, c in enumerate(countries):
        t(c, f"<{RDF_TYPE}>", a("Country"))
        t(c, f"<{LABEL}>", lit(f"Country {i}", "en"))
        t(c, f"<{LABEL}>", lit(f"Pays {i}", "fr"))
    topics = [iri(f"topic-{i}") for i in range(len(TOPICS))]
    for topic, name in zip(topics, TOPICS):
        t(topic, f"<{RDF_TYPE}>", a("Topic"))
        t(topic, f"<{LABEL}>", lit(name, "en"))
    cities = []
    orgs = []
    programmes = []
    n = 0
    while written < args.triples:
        n += 1
        kind = n % 10
        if kind == 0 or not cities:  # a city
            city = iri(f"city-{n}")
            cities.append(city)
            t(city, f"<{RDF_TYPE}>", a("City"))
            t(city, f"<{LABEL}>", lit(f"City {n}", "en"))
            t(city, a("locatedIn"), rng.choice(countries))
        elif kind in (1, 2, 3, 4):  # an organisation and a unit
            org = iri(f"org-{n}")
            orgs.append(org)
            t(org, f"<{RDF_TYPE}>", a(ORG_KINDS[n % len(ORG_KINDS)]))
            if not defect():
                t(org, f"<{LABEL}>", lit(f"Organisation {n}", "en"))
            t(org, f"<{LABEL}>", lit(f"Organisation {n}", "fr"))
            t(org, a("acronym"), lit(f"ORG{n}"))
            t(org, a("country"), rng.choice(countries))
            if defect():
                t(org, a("country"), rng.choice(countries))
            t(org, a("locatedIn"), rng.choice(orgs) if defect() else rng.choice(cities))
            t(org, a("focusArea"), rng.choice(topics))
            t(org, a("website"), f"<https://org{n}.example.org/>")
            unit = iri(f"unit-{n}")
            t(unit, f"<{RDF_TYPE}>", a("ResearchUnit"))
            t(unit, f"<{LABEL}>", lit(f"Lab {n}", "en"))
            t(unit, a("subOrganizationOf"), org)
            t(unit, a("focusArea"), rng.choice(topics))
        elif kind in (5, 6) and orgs:  # a programme and its funding
            prog = iri(f"programme-{n}")
            programmes.append(prog)
            t(prog, f"<{RDF_TYPE}>", a("Program"))
            t(prog, f"<{LABEL}>", lit(f"Programme {n}", "en"))
            funder = rng.choice(orgs)
            t(prog, a("launchedBy"), funder)
            year = rng.randint(2015, 2030)
            t(prog, a("startDate"), lit(str(year), dtype="gYear"))
            t(prog, a("endDate"), lit(str(year + rng.randint(1, 6)), dtype="gYear"))
            f = iri(f"funding-{n}")
            t(f, f"<{RDF_TYPE}>", a("Funding"))
            t(f, f"<{LABEL}>", lit(f"Funding of programme {n}", "en"))
            t(f, a("funder"), funder)
            t(f, a("recipient"), prog)
            t(funder, a("funds"), prog)
            amount = rng.randint(1, 10_000) * 100_000_000
            t(f, a("amount"), lit(str(-amount if defect() else amount), dtype="decimal"))
            t(f, a("currency"), lit("WON" if defect() else "KRW"))
            t(f, a("amountEUR"), lit(f"{amount / 1450:.2f}", dtype="decimal"))
            month = rng.randint(1, 12)
            if defect():
                t(f, a("date"), lit(f"{year}-{month:02d}"))
            else:
                t(f, a("date"), lit(f"{year}-{month:02d}", dtype="gYearMonth"))
        elif kind in (7, 8) and len(orgs) > 2:  # a project with partners
            proj = iri(f"project-{n}")
            t(proj, f"<{RDF_TYPE}>", a("Project"))
            t(proj, f"<{LABEL}>", lit(f"Project {n}", "en"))
            partners = rng.sample(orgs, 2)
            for p in partners:
                t(p, a("participatesIn"), proj)
            t(partners[0], a("partnersWith"), partners[1])
            if programmes:
                t(proj, a("inFrameworkOf"), rng.choice(programmes))
            t(proj, a("startDate"), lit(str(rng.randint(2015, 2030)), dtype="gYear"))
        else:  # a person
            person = iri(f"person-{n}")
            t(person, f"<{RDF_TYPE}>", a("Person"))
            t(person, f"<{LABEL}>", lit(f"Person {n}", "en"))
            if orgs:
                t(person, a("affiliatedWith"), rng.choice(orgs))
            t(person, a("role"), lit("directeur de recherche", "fr"))


if __name__ == "__main__":
    main()
