#!/usr/bin/env python3
"""Deterministic generator of a synthetic AI-ecosystem graph, shaped like aikg's
data: countries, cities, organisations of every kind with their units,
programmes, fundings (n-ary nodes with KRW/EUR amounts and dates), projects
with partners, people. Same arguments, same bytes.

    python3 benches/generate.py --triples 1000000 > /tmp/gen-1m.nt
    python3 benches/generate.py --triples 100000 --defects 0.01 > /tmp/gen-100k.nt
    python3 benches/generate.py --entities 1000000 --names mixed > /tmp/gen-1m-entities.nt

--entities N stops after N entities (typed subjects) instead of a number of
triples. --names mixed gives the entities the names real data has instead of
"Organisation 123": place names made of syllables, names of institutes in
English, French, Korean (Hangul) and Vietnamese (with its diacritics) and
their acronyms, Korean, Vietnamese and French people (the search benchmark
uses them); the graph's shape is the same as with the default names.

--defects P plants defects in about P of the entities (a missing label, a
funding with a negative amount or a non-ISO currency, a date of the wrong
type, locatedIn pointing at an organisation, two countries): the SHACL
benchmarks and the differential test use them.
"""
import argparse
import random
import sys
import unicodedata

AIKG = "https://w3id.org/aikg/ontology#"
ID = "https://w3id.org/aikg/gen/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"

ORG_KINDS = ["Ministry", "Agency", "ResearchInstitute", "University", "Company"]
TOPICS = ["natural language processing", "computer vision", "robotics", "AI safety",
          "semiconductors", "cloud computing", "generative AI", "bioinformatics"]


# Names for --names mixed (drawn from their own random generator, so that
# the graph's shape does not depend on them).
SYLLABLES = ["ka", "ri", "no", "sa", "te", "lu", "mi", "ven", "dor", "bel", "tra", "ko",
             "ran", "li", "mo", "ser", "gan", "ta", "vi", "sol", "ne", "ma", "lo", "chi",
             "ber", "ro", "zan", "fe", "pa", "gu", "el", "an", "ur", "is", "mar", "tin"]
FIELDS = [  # English, French, Korean, Vietnamese
    ("Artificial Intelligence", "intelligence artificielle", "인공지능", "Trí tuệ Nhân tạo"),
    ("Robotics", "robotique", "로봇공학", "Người máy"),
    ("Quantum Computing", "informatique quantique", "양자컴퓨팅", "Điện toán Lượng tử"),
    ("Materials Science", "science des matériaux", "재료과학", "Khoa học Vật liệu"),
    ("Biotechnology", "biotechnologie", "생명공학", "Công nghệ Sinh học"),
    ("Energy", "énergie", "에너지", "Năng lượng"),
    ("Telecommunications", "télécommunications", "정보통신", "Viễn thông"),
    ("Semiconductors", "semi-conducteurs", "반도체", "Bán dẫn"),
    ("Data Science", "science des données", "데이터과학", "Khoa học Dữ liệu"),
    ("Cybersecurity", "cybersécurité", "사이버보안", "An ninh Mạng"),
    ("Science and Technology", "sciences et technologies", "과학기술", "Khoa học và Công nghệ"),
    ("Health", "santé", "보건", "Y tế"),
    ("Agriculture", "agriculture", "농업", "Nông nghiệp"),
    ("Mechanical Engineering", "génie mécanique", "기계공학", "Cơ khí"),
    ("Electronics", "électronique", "전자", "Điện tử"),
    ("Ocean Science", "sciences de la mer", "해양과학", "Khoa học Biển"),
]
KO_SYLLABLES = [("가", "ga"), ("나", "na"), ("다", "da"), ("마", "ma"), ("사", "sa"), ("아", "a"),
                ("자", "ja"), ("하", "ha"), ("강", "gang"), ("경", "gyeong"), ("광", "gwang"),
                ("대", "dae"), ("동", "dong"), ("부", "bu"), ("산", "san"), ("서", "seo"),
                ("성", "seong"), ("수", "su"), ("안", "an"), ("양", "yang"), ("원", "won"),
                ("인", "in"), ("전", "jeon"), ("주", "ju"), ("천", "cheon"), ("청", "cheong"),
                ("포", "po"), ("한", "han"), ("해", "hae"), ("화", "hwa"), ("민", "min"),
                ("준", "jun"), ("지", "ji"), ("현", "hyeon"), ("영", "yeong"), ("진", "jin"),
                ("은", "eun"), ("혜", "hye"), ("호", "ho"), ("우", "u")]
KO_FAMILY = [("김", "Kim"), ("이", "Lee"), ("박", "Park"), ("최", "Choi"), ("정", "Jung"),
             ("강", "Kang"), ("조", "Cho"), ("윤", "Yoon"), ("장", "Jang"), ("임", "Lim")]
VI_SYLLABLES = ["Đà", "Nẵng", "Hà", "Nội", "Huế", "Cần", "Thơ", "Hải", "Phòng", "Biên", "Hòa",
                "Vũng", "Tàu", "Đông", "Quy", "Nhơn", "Long", "Xuyên", "Thái", "Bình", "Nam",
                "Định", "Ninh", "Thuận", "Phú", "Yên", "Sơn", "La", "Điện", "Cao", "Bằng",
                "Lạng", "Bắc", "Giang", "Mỹ", "Tho", "Bến", "Tre", "Trà", "Vinh", "Sóc", "Trăng"]
VI_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
             "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
VI_MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Xuân", "Thế"]
VI_GIVEN = ["Anh", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Khánh", "Linh",
            "Long", "Mai", "Nam", "Phương", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Việt",
            "Yến", "Đạt", "Đông", "Hương", "Lan", "Tâm", "Thủy", "Vy", "Duy", "Hưng"]
FR_GIVEN = ["Claire", "Julien", "Camille", "Nicolas", "Sophie", "Thomas", "Élodie", "François",
            "Hélène", "Jérôme", "Amélie", "Benoît", "Cécile", "Loïc", "Maëlle", "Noémie"]
FR_FAMILY = ["Dubois", "Lefèvre", "Moreau", "Girard", "Mercier", "Lambert", "Faure", "Rousseau",
             "Blanchard", "Guérin", "Bérenger", "Chevalier", "Perrin", "Gauthier", "Roché"]
ORG_WORDS = {  # kind: English pattern, French pattern
    "Ministry": ("Ministry of {f}", "ministère de {ff}"),
    "Agency": ("{p} Agency for {f}", "agence {p} pour {ff}"),
    "ResearchInstitute": ("{p} Institute of {f}", "institut {p} de {ff}"),
    "University": ("{p} University", "université de {p}"),
    "Company": ("{p} {f}", "{p} {f}"),
}
KO_SUFFIX = {"Ministry": "부", "Agency": "진흥원", "ResearchInstitute": "연구원",
             "University": "대학교", "Company": "주식회사"}
VI_PREFIX = {"Ministry": "Bộ", "Agency": "Cục", "ResearchInstitute": "Viện",
             "University": "Trường Đại học", "Company": "Công ty"}


def ascii_fold(text):
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


class Namer:
    """The names of the entities: "Organisation 12" (plain), or mixed."""

    def __init__(self, mixed, seed):
        self.mixed = mixed
        self.rng = random.Random(seed + 1)

    def place(self):
        """A place name: Latin syllables, or Korean (Hangul, romanised), or
        Vietnamese: (English, Korean or None, Vietnamese or None)."""
        r = self.rng
        style = r.random()
        if style < 0.5:
            word = "".join(r.choice(SYLLABLES) for _ in range(r.randint(2, 4)))
            return word.capitalize(), None, None
        if style < 0.75:
            syllables = [r.choice(KO_SYLLABLES) for _ in range(2)]
            return "".join(s[1] for s in syllables).capitalize(), "".join(s[0] for s in syllables), None
        vi = " ".join(r.choice(VI_SYLLABLES) for _ in range(2))
        return ascii_fold(vi), None, vi

    def labels(self, kind, n, plain):
        """[(text, lang)] and an acronym (or None) for an entity."""
        if not self.mixed:
            return plain, None
        r = self.rng
        if kind in ORG_WORDS:
            en_pattern, fr_pattern = ORG_WORDS[kind]
            place, ko_place, vi_place = self.place()
            field = r.choice(FIELDS)
            en = en_pattern.format(p=place, f=field[0])
            fr = fr_pattern.format(p=place, f=field[0], ff=field[1])
            labels = [(en, "en"), (fr, "fr")]
            if ko_place:
                labels.append((ko_place + (field[2] if kind != "University" else "") + KO_SUFFIX[kind], "ko"))
            if vi_place:
                labels.append((f"{VI_PREFIX[kind]} {field[3] if kind != 'University' else ''} {vi_place}".replace("  ", " "), "vi"))
            acronym = "".join(w[0] for w in en.split() if w[0].isupper())
            return labels, acronym if len(acronym) >= 2 else None
        if kind == "Person":
            style = r.random()
            if style < 0.4:
                vi = f"{r.choice(VI_FAMILY)} {r.choice(VI_MIDDLE)} {r.choice(VI_GIVEN)}"
                return [(ascii_fold(vi), "en"), (vi, "vi")], None
            if style < 0.7:
                family = r.choice(KO_FAMILY)
                given = [r.choice(KO_SYLLABLES) for _ in range(2)]
                en = f"{family[1]} {given[0][1].capitalize()}-{given[1][1]}"
                return [(en, "en"), (family[0] + given[0][0] + given[1][0], "ko")], None
            return [(f"{r.choice(FR_GIVEN)} {r.choice(FR_FAMILY)}", "en")], None
        place, ko_place, vi_place = self.place()
        field = r.choice(FIELDS)
        if kind == "City":
            labels = [(place, "en")]
            if ko_place:
                labels.append((ko_place, "ko"))
            if vi_place:
                labels.append((vi_place, "vi"))
            return labels, None
        if kind == "ResearchUnit":
            return [(f"{place} {field[0]} Laboratory", "en"), (f"laboratoire de {field[1]} de {place}", "fr")], None
        if kind == "Program":
            return [(f"{place} {field[0]} Programme", "en"), (f"programme {place} de {field[1]}", "fr")], None
        if kind == "Project":
            return [(f"{place} project on {field[0]}", "en")], None
        return plain, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--triples", type=int, default=None,
                    help="stop after this many triples (default 1000000, or none with --entities)")
    ap.add_argument("--entities", type=int, default=None, help="stop after this many entities")
    ap.add_argument("--names", choices=["plain", "mixed"], default="plain")
    ap.add_argument("--defects", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    if args.triples is None:
        args.triples = float("inf") if args.entities else 1_000_000
    max_entities = args.entities or float("inf")
    rng = random.Random(args.seed)
    namer = Namer(args.names == "mixed", args.seed)
    out = sys.stdout
    written = 0
    entities = 0

    def iri(local):
        return f"<{ID}{local}>"

    def t(s, p, o):
        nonlocal written, entities
        out.write(f"{s} {p} {o} .\n")
        written += 1
        if p == f"<{RDF_TYPE}>":
            entities += 1

    def labels(s, kind, n, plain):
        """Writes the labels of s (the plain ones, or mixed names)."""
        names, acronym = namer.labels(kind, n, plain)
        for text, lang in names:
            t(s, f"<{LABEL}>", lit(text, lang))
        if acronym:
            t(s, a("acronym"), lit(acronym))

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
    while written < args.triples and entities < max_entities:
        n += 1
        kind = n % 10
        if kind == 0 or not cities:  # a city
            city = iri(f"city-{n}")
            cities.append(city)
            t(city, f"<{RDF_TYPE}>", a("City"))
            labels(city, "City", n, [(f"City {n}", "en")])
            t(city, a("locatedIn"), rng.choice(countries))
        elif kind in (1, 2, 3, 4):  # an organisation and a unit
            org = iri(f"org-{n}")
            orgs.append(org)
            org_kind = ORG_KINDS[n % len(ORG_KINDS)]
            t(org, f"<{RDF_TYPE}>", a(org_kind))
            if namer.mixed:
                defect()  # the same draws as with plain names
                labels(org, org_kind, n, None)
            else:
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
            labels(unit, "ResearchUnit", n, [(f"Lab {n}", "en")])
            t(unit, a("subOrganizationOf"), org)
            t(unit, a("focusArea"), rng.choice(topics))
        elif kind in (5, 6) and orgs:  # a programme and its funding
            prog = iri(f"programme-{n}")
            programmes.append(prog)
            t(prog, f"<{RDF_TYPE}>", a("Program"))
            labels(prog, "Program", n, [(f"Programme {n}", "en")])
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
            labels(proj, "Project", n, [(f"Project {n}", "en")])
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
            labels(person, "Person", n, [(f"Person {n}", "en")])
            if orgs:
                t(person, a("affiliatedWith"), rng.choice(orgs))
            t(person, a("role"), lit("directeur de recherche", "fr"))


if __name__ == "__main__":
    main()
