//! Competency questions: each named query of `queries/` runs on the bundled
//! data and must return what the two source documents say. The expected
//! answers are written from the text (the sentence is quoted next to each),
//! not copied from the output: a change to the data that loses or changes a
//! fact fails here.
//!
//! Documents: `kr` is 000_afa6bd9babdf5065.txt (French embassy report on
//! Korea's AI policy), `vn` is 004_c4cc3dd447fda925.txt (Vietnam–Korea
//! Digital Forum 2025 article).
//!
//! Stated versus read: what the text says in words must be answered by the
//! text alone. Tests wrapped in [`with_and_without_readings`] run twice: on
//! the whole graph, then on the graph without the editor's readings (every
//! `aikg:Reading` graph left out). What only a reading gives (a city placed in
//! its country, a year inferred from the article's date) is asserted on the
//! whole graph and asserted absent from the text alone.

use aikg::kg::Kg;
use aikg::named_query;
use aikg::query::{self, Answer};
use aikg::remote::{Remote, RemoteOptions};
use aikg::store::{self, Sources};
use oxigraph::model::{GraphNameRef, NamedOrBlankNode, Term};
use oxigraph::store::Store;
use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

type Row = BTreeMap<String, String>;

/// The ontology, data and named queries of this checkout, read through the library the way
/// `aikg --data .` reads a working copy. (They are the files `Sources::bundled()` embeds; reading them
/// from the checkout keeps the test right when several checkouts share one CARGO_TARGET_DIR, where
/// the build script's embedded copy may come from another checkout.)
fn sources() -> &'static Sources {
    static SOURCES: OnceLock<Sources> = OnceLock::new();
    SOURCES.get_or_init(|| {
        Sources::from_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap()
    })
}

/// The data, loaded once: the embedded store, or, with `AIKG_TEST_ENDPOINT`
/// set to a SPARQL endpoint the bundled graph was pushed to, that remote
/// store (tests/support/remote_ci.sh runs these tests both ways).
fn whole_store() -> &'static dyn Kg {
    static STORE: OnceLock<Box<dyn Kg>> = OnceLock::new();
    STORE
        .get_or_init(|| match std::env::var("AIKG_TEST_ENDPOINT") {
            Ok(url) => Box::new(Remote::new(RemoteOptions::new(
                aikg::remote::parse_url("AIKG_TEST_ENDPOINT", &url).unwrap(),
            ))),
            Err(_) => Box::new(store::open(None, sources()).unwrap()),
        })
        .as_ref()
}

/// The data without the editor's readings: the graphs that are `aikg:Reading`
/// and the descriptions of those graphs left out, the way a user keeps only the
/// `aikg:Passage` graphs. Always in memory (with `AIKG_TEST_ENDPOINT` too:
/// the endpoint holds the whole graph).
fn text_only_store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        let quads = sources().read_quads().unwrap();
        let reading_class = format!("{}Reading", aikg::namespaces::AIKG);
        let readings: BTreeSet<String> = quads
            .iter()
            .filter(|q| {
                q.quad.predicate.as_str() == aikg::namespaces::RDF_TYPE
                    && matches!(&q.quad.object, Term::NamedNode(c) if c.as_str() == reading_class)
            })
            .map(|q| q.quad.subject.to_string())
            .collect();
        assert!(readings.len() > 20, "{} reading graphs", readings.len());
        let in_reading = |q: &aikg::source::LocatedQuad| match q.quad.graph_name.as_ref() {
            GraphNameRef::NamedNode(g) => readings.contains(&g.to_string()),
            _ => matches!(&q.quad.subject, NamedOrBlankNode::NamedNode(s) if readings.contains(&s.to_string())),
        };
        let kept: Vec<_> = quads.into_iter().filter(|q| !in_reading(q)).collect();
        store::in_memory(&kept).unwrap()
    })
}

thread_local! {
    /// Whether the running check reads the text alone (see [`with_and_without_readings`]).
    static TEXT_ONLY: Cell<bool> = const { Cell::new(false) };
}

fn store() -> &'static dyn Kg {
    if TEXT_ONLY.with(Cell::get) {
        text_only_store()
    } else {
        whole_store()
    }
}

/// Runs the check on the whole graph, then on the text alone: an answer the
/// text gives in words must not depend on the editor's readings.
fn with_and_without_readings(check: impl Fn()) {
    check();
    text_alone(check);
}

/// Runs the check on the graph without the editor's readings.
fn text_alone<T>(check: impl FnOnce() -> T) -> T {
    let before = TEXT_ONLY.with(|t| t.replace(true));
    let result = check();
    TEXT_ONLY.with(|t| t.set(before));
    result
}

/// A term as the tests write it: `id:K-Cloud` for IRIs, the lexical value for
/// literals (dates as `2023-06`, numbers as `826200000000`, `true`).
fn show(term: &Term) -> String {
    match term {
        Term::Literal(l) => l.value().to_string(),
        other => query::display_term(other),
    }
}

struct Rows {
    query: String,
    rows: Vec<Row>,
}

/// Runs a named query with `--param`-style values, through the library.
fn run(name: &str, params: &[(&str, &str)]) -> Rows {
    let named =
        named_query::find(&sources().queries, name).unwrap_or_else(|e| panic!("{name}: {e}"));
    let values: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let (parsed, bindings) = named
        .bind(store(), &values)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let answer = store()
        .evaluate(&parsed, &bindings, &query::EvalOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let Answer::Solutions { rows, .. } = answer else {
        panic!("{name}: expected a SELECT query")
    };
    let rows = rows
        .iter()
        .map(|solution| {
            solution
                .iter()
                .map(|(v, t)| (v.as_str().to_string(), show(t)))
                .collect()
        })
        .collect();
    let graph = if TEXT_ONLY.with(Cell::get) {
        " (text alone, no reading)"
    } else {
        ""
    };
    Rows {
        query: format!("{name} {params:?}{graph}"),
        rows,
    }
}

impl Rows {
    fn dump(&self) -> String {
        self.rows
            .iter()
            .map(|r| format!("  {r:?}"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The distinct values of a column (unbound cells left out).
    fn column(&self, var: &str) -> BTreeSet<String> {
        self.rows
            .iter()
            .filter_map(|r| r.get(var).cloned())
            .collect()
    }

    /// The values of a column, in row order, consecutive repeats merged.
    fn sequence(&self, var: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for value in self.rows.iter().filter_map(|r| r.get(var)) {
            if out.last() != Some(value) {
                out.push(value.clone());
            }
        }
        out
    }

    fn matching(&self, conditions: &[(&str, &str)]) -> Vec<&Row> {
        self.rows
            .iter()
            .filter(|r| {
                conditions
                    .iter()
                    .all(|(k, v)| r.get(*k).map(String::as_str) == Some(*v))
            })
            .collect()
    }

    /// The one row that matches the conditions (several identical matches are one answer).
    fn row(&self, conditions: &[(&str, &str)]) -> &Row {
        let found = self.matching(conditions);
        assert!(
            !found.is_empty(),
            "{}: no row with {conditions:?} among:\n{}",
            self.query,
            self.dump()
        );
        found[0]
    }

    fn has(&self, conditions: &[(&str, &str)]) -> bool {
        !self.matching(conditions).is_empty()
    }

    fn assert_has(&self, conditions: &[(&str, &str)]) {
        assert!(
            self.has(conditions),
            "{}: no row with {conditions:?} among:\n{}",
            self.query,
            self.dump()
        );
    }

    fn assert_lacks(&self, conditions: &[(&str, &str)]) {
        assert!(
            !self.has(conditions),
            "{}: unexpected row with {conditions:?} among:\n{}",
            self.query,
            self.dump()
        );
    }
}

fn set(values: &[&str]) -> BTreeSet<String> {
    values.iter().map(|v| v.to_string()).collect()
}

/// A cell read as a number (amounts are decimals of any lexical form).
fn number(row: &Row, var: &str) -> f64 {
    row.get(var)
        .unwrap_or_else(|| panic!("no {var} in {row:?}"))
        .parse()
        .unwrap_or_else(|_| panic!("{var} is not a number in {row:?}"))
}

fn cell<'a>(row: &'a Row, var: &str) -> Option<&'a str> {
    row.get(var).map(String::as_str)
}

// ---------------------------------------------------------------------------
// Funding: who funds what, and how much
// ---------------------------------------------------------------------------

#[test]
fn fundings_amounts_euro_equivalents_and_approximations() {
    with_and_without_readings(|| {
        let fundings = run("funding", &[]);

        // kr I.1: "En juin 2023, le MSIT a lancé le projet K-Cloud, doté de 826,2 milliards de wons
        // (518,92 millions d’euros)"
        let k_cloud = fundings.row(&[("recipient", "id:K-Cloud")]);
        assert_eq!(number(k_cloud, "amount"), 826_200_000_000.0);
        assert_eq!(cell(k_cloud, "currency"), Some("KRW"));
        assert_eq!(number(k_cloud, "amountEUR"), 518_920_000.0);
        assert_eq!(cell(k_cloud, "approximate"), Some("false"));
        assert_eq!(cell(k_cloud, "amountEURApproximate"), Some("false"));
        // The text does not say who pays: no funder.
        assert_eq!(cell(k_cloud, "funder"), None);

        // kr I.1: "En avril 2024, le président de la République de Corée a annoncé un plan
        // d’investissement de 9,4 trillions de wons (environ 6,38 milliards d’euros)"
        let plan = fundings.row(&[("recipient", "id:AI-Investment-Plan-2024")]);
        assert_eq!(number(plan, "amount"), 9_400_000_000_000.0);
        assert_eq!(number(plan, "amountEUR"), 6_380_000_000.0);
        assert_eq!(
            cell(plan, "amountEURApproximate"),
            Some("true"),
            "« environ » 6,38 milliards d’euros"
        );
        assert_eq!(
            cell(plan, "approximate"),
            Some("false"),
            "the won amount itself is exact"
        );
        assert_eq!(cell(plan, "date"), Some("2024-04"));

        // kr I.1: "Un fonds spécifique de 1,4 trillion de wons (873,68 millions d’euros) a par ailleurs été créé"
        let fund = fundings.row(&[("recipient", "id:AI-Semiconductor-Fund")]);
        assert_eq!(number(fund, "amount"), 1_400_000_000_000.0);
        assert_eq!(number(fund, "amountEUR"), 873_680_000.0);

        // kr I.2: "le National AI Research Hub a été inauguré ... avec un financement de 94,6 milliards de
        // wons (65,6 millions d’euros) jusqu’en 2028."
        let hub = fundings.row(&[("recipient", "id:National-AI-Research-Hub")]);
        assert_eq!(number(hub, "amount"), 94_600_000_000.0);
        assert_eq!(number(hub, "amountEUR"), 65_600_000.0);
        assert_eq!(cell(hub, "endDate"), Some("2028"));
        assert_eq!(
            cell(hub, "startDate"),
            None,
            "« jusqu'en 2028 » is an end date only"
        );

        // kr I.4: "à hauteur de 2 milliards de wons (1,26 million d’euros) par projet, jusqu’en 2030."
        let star = fundings.row(&[("recipient", "id:AI-Star-Fellowship")]);
        assert_eq!(number(star, "amount"), 2_000_000_000.0);
        assert_eq!(number(star, "amountEUR"), 1_260_000.0);
        // The basis in English (a translation), and as the text words it with lang=fr.
        assert_eq!(cell(star, "basis"), Some("per project and per year"));
        let star_fr = run(
            "funding",
            &[("recipient", "id:AI-Star-Fellowship"), ("lang", "fr")],
        );
        assert_eq!(star_fr.column("basis"), set(&["par projet et par an"]));
        assert_eq!(cell(star, "endDate"), Some("2030"));

        // kr I.4: "Deux universités seront sélectionnées et recevront chacune un financement annuel de
        // 2 milliards de wons (environ 1 250 000 euros)."
        let talent = fundings.row(&[("recipient", "id:AI-Semiconductor-Talent-Program")]);
        assert_eq!(number(talent, "amount"), 2_000_000_000.0);
        assert_eq!(number(talent, "amountEUR"), 1_250_000.0);
        assert_eq!(cell(talent, "amountEURApproximate"), Some("true"));
        assert_eq!(cell(talent, "basis"), Some("per university and per year"));

        // vn: "Horizon Europe – le plus grand fonds mondial de recherche et d'innovation doté de près de
        // 100 milliards d'euros"
        let horizon = fundings.row(&[("recipient", "id:Horizon-Europe")]);
        assert_eq!(number(horizon, "amount"), 100_000_000_000.0);
        assert_eq!(cell(horizon, "currency"), Some("EUR"));
        assert_eq!(
            cell(horizon, "approximate"),
            Some("true"),
            "« près de » 100 milliards"
        );

        // kr III.3: "Ce projet, financé sur la période 2022-2026 par le MSIT et l’Institute of Information
        // & Communication Technology Planning & Evaluation (IITP)"
        let personality = fundings.matching(&[("recipient", "id:Adaptive-Personality-Project")]);
        let funders: BTreeSet<String> = personality
            .iter()
            .filter_map(|r| r.get("funder").cloned())
            .collect();
        assert_eq!(funders, set(&["id:IITP", "id:MSIT"]));
        assert!(personality
            .iter()
            .all(|r| cell(r, "startDate") == Some("2022") && cell(r, "endDate") == Some("2026")));

        // kr III.3: "Ce dernier a été financé de 2019 à 2020 par le Fonds franco-coréen pour l’intelligence
        // artificielle"
        let optimization = fundings.row(&[("recipient", "id:Adaptive-Optimization-Project")]);
        assert_eq!(
            cell(optimization, "funder"),
            Some("id:French-Korean-AI-Fund")
        );
        assert_eq!(cell(optimization, "startDate"), Some("2019"));
        assert_eq!(cell(optimization, "endDate"), Some("2020"));
    });
}

#[test]
fn fundings_of_one_funder_and_in_french() {
    with_and_without_readings(|| {
        // kr III.3: the MSIT funds the Adaptive Personality project (2022-2026); the text names the MSIT
        // as payer nowhere else.
        let msit = run("funding", &[("funder", "MSIT")]);
        assert_eq!(
            msit.column("recipient"),
            set(&["id:Adaptive-Personality-Project"])
        );
        assert_eq!(msit.column("funder"), set(&["id:MSIT"]));

        // Labels in French: "le projet K-Cloud".
        let french = run("funding", &[("recipient", "id:K-Cloud"), ("lang", "fr")]);
        assert_eq!(french.column("recipientLabel"), set(&["projet K-Cloud"]));
    });
}

#[test]
fn funding_totals_by_funder_and_currency() {
    with_and_without_readings(|| {
        let totals = run("funding-totals", &[]);
        // kr I.1 and I.2 give four total amounts in won whose payer the text does not name:
        // 9,4 trillions + 1,4 trillion + 826,2 milliards + 94,6 milliards de wons = 11 720,8 milliards,
        // and their euro equivalents 6,38 milliards (« environ ») + 873,68 + 518,92 + 65,6 millions.
        // The two amounts "par projet" / "par université" (kr I.4) are per unit, counted apart.
        let krw = totals.row(&[("currency", "KRW")]);
        assert_eq!(cell(krw, "funder"), None);
        assert_eq!(number(krw, "totalAmount"), 11_720_800_000_000.0);
        assert_eq!(number(krw, "totalEUR"), 7_838_200_000.0);
        assert_eq!(cell(krw, "anyApproximate"), Some("true"));
        assert_eq!(number(krw, "perUnitAmounts"), 2.0);
        assert_eq!(number(krw, "fundings"), 6.0);

        // vn: Horizon Europe "doté de près de 100 milliards d'euros".
        let eur = totals.row(&[("currency", "EUR")]);
        assert_eq!(number(eur, "totalAmount"), 100_000_000_000.0);
        assert_eq!(number(eur, "totalEUR"), 100_000_000_000.0);

        // The funders the text names (MSIT and IITP for Adaptive Personality, the French-Korean AI fund
        // for Adaptive Optimization) give no amount.
        for funder in ["id:MSIT", "id:IITP", "id:French-Korean-AI-Fund"] {
            let row = totals.row(&[("funder", funder)]);
            assert_eq!(number(row, "fundings"), 1.0, "{row:?}");
            assert_eq!(number(row, "withAmount"), 0.0, "{row:?}");
            assert_eq!(cell(row, "totalAmount"), None, "{row:?}");
        }
    });
}

#[test]
fn funding_of_what_a_ministry_launched() {
    with_and_without_readings(|| {
        // Two hops, kr I.1: "En juin 2023, le MSIT a lancé le projet K-Cloud, doté de 826,2 milliards de
        // wons (518,92 millions d’euros)".
        let msit = run("funding-by-launcher", &[("launcher", "MSIT")]);
        let k_cloud = msit.row(&[("initiative", "id:K-Cloud")]);
        assert_eq!(number(k_cloud, "amount"), 826_200_000_000.0);
        assert_eq!(number(k_cloud, "amountEUR"), 518_920_000.0);
        assert_eq!(cell(k_cloud, "launchDate"), Some("2023-06"));
        // kr I.4: the AI Star Fellowship (inaugurated by the MSIT in January 2025) and the AI semiconductor
        // talent programme (launched by the MSIT in February 2025) each give 2 milliards de wons per unit.
        assert_eq!(
            msit.column("initiative"),
            set(&[
                "id:K-Cloud",
                "id:AI-Star-Fellowship",
                "id:AI-Semiconductor-Talent-Program"
            ])
        );
    });
}

// ---------------------------------------------------------------------------
// Places
// ---------------------------------------------------------------------------

#[test]
fn everything_in_daejeon() {
    with_and_without_readings(|| {
        // kr II: "L'Electronics and Telecommunications Research Institute (ETRI), situé à Daejeon";
        // "Le Korea Institute of Machinery & Materials (KIMM), basé à Daejeon";
        // kr III.3: "La première journée s’est tenue au KAIST à Daejeon".
        let daejeon = run("located-in", &[("place", "Daejeon")]);
        assert_eq!(
            daejeon.column("entity"),
            set(&["id:ETRI", "id:KIMM", "id:KAIST", "id:Workshop-2024-Day-1"])
        );
    });
}

#[test]
fn everything_in_korea_transitively() {
    with_and_without_readings(|| {
        let korea = run("located-in", &[("place", "id:Korea")]);
        // kr II: "L'Electronics and Telecommunications Research Institute (ETRI), situé à Daejeon, est un
        // acteur clé de la recherche en République de Corée".
        assert_eq!(
            cell(korea.row(&[("entity", "id:ETRI")]), "via"),
            Some("id:Daejeon")
        );
        // Placed by country only — kr III.3: "Il rassemble plusieurs laboratoires et universités
        // sud-coréens, parmi lesquels : ... Acryl Inc."; vn: NIPA, "l'Agence nationale coréenne".
        korea.assert_has(&[("entity", "id:Acryl")]);
        korea.assert_has(&[("entity", "id:NIPA")]);
        // kr II: "La recherche en IA est menée en République de Corée au sein de nombreux instituts de
        // recherche : ... 3. Le Korea Electrotechnology Research Institute (KERI)".
        korea.assert_has(&[("entity", "id:KERI")]);
        // kr I.5: Bletchley is in the United Kingdom, not in Korea.
        korea.assert_lacks(&[("entity", "id:AI-Safety-Summit-2023")]);
        korea.assert_lacks(&[("entity", "id:Inria")]);
    });
    // The text never says in words that Seoul, Yangjae, Changwon, Ulsan or Pangyo are in the Republic
    // of Korea: the editor reads it (src:kr-013-r2, src:kr-091-r1, src:kr-015-r1).
    text_alone(|| {
        let korea = run("located-in", &[("place", "id:Korea")]);
        for entity in ["id:Seoul", "id:Yangjae", "id:AI-Seoul-Summit", "id:Pangyo"] {
            korea.assert_lacks(&[("entity", entity)]);
        }
    });
    let korea = run("located-in", &[("place", "id:Korea")]);
    // kr I.2: "le National AI Research Hub a été inauguré au sein du Seoul AI Hub, dans le quartier de
    // Yangjae": Yangjae is in Korea through Seoul, the hubs through Yangjae.
    assert_eq!(
        cell(korea.row(&[("entity", "id:Yangjae")]), "via"),
        Some("id:Seoul")
    );
    assert_eq!(
        cell(korea.row(&[("entity", "id:Seoul-AI-Hub")]), "via"),
        Some("id:Yangjae")
    );
    assert_eq!(
        cell(
            korea.row(&[("entity", "id:National-AI-Research-Hub")]),
            "via"
        ),
        Some("id:Yangjae")
    );
    // kr II: "Le Korea Electrotechnology Research Institute (KERI), basé à Changwon";
    // "Le Center for Algorithmic and Robotized Synthesis (CARS) ... situé à Ulsan".
    assert_eq!(
        cell(korea.row(&[("entity", "id:KERI")]), "via"),
        Some("id:Changwon")
    );
    assert_eq!(
        cell(korea.row(&[("entity", "id:CARS")]), "via"),
        Some("id:Ulsan")
    );
    // kr I.2: "l’AI Safety Research Institute à Pangyo, dans la banlieue de Séoul".
    assert_eq!(
        cell(
            korea.row(&[("entity", "id:AI-Safety-Research-Institute")]),
            "via"
        ),
        Some("id:Pangyo")
    );
    // kr I.5: "En mai 2024, Séoul a accueilli ... le AI Seoul Summit".
    korea.assert_has(&[("entity", "id:AI-Seoul-Summit")]);
}

#[test]
fn everything_in_seoul() {
    // kr II: "Le Korea Institute of Science and Technology (KIST), situé à Séoul"; "Le Korea Institute
    // for Advanced Study (KIAS), situé à Séoul"; kr III.3: "la seconde a eu lieu à l’AI Research Hub de
    // Séoul"; kr I.2 Yangjae. Pangyo is "dans la banlieue de Séoul", not in it.
    with_and_without_readings(|| {
        let seoul = run("located-in", &[("place", "Seoul")]);
        for entity in ["id:KIST", "id:KIAS", "id:Workshop-2024-Day-2"] {
            seoul.assert_has(&[("entity", entity)]);
        }
        seoul.assert_lacks(&[("entity", "id:AI-Safety-Research-Institute")]);
        seoul.assert_lacks(&[("entity", "id:ETRI")]);
    });
    // Yangjae is in Seoul by the editor's reading ("dans le quartier de Yangjae" names no city; the hub
    // there is the "Seoul AI Hub"): src:kr-013-r1. So is Samsung AI Center Seoul, by its name.
    let seoul = run("located-in", &[("place", "Seoul")]);
    for entity in [
        "id:Yangjae",
        "id:Seoul-AI-Hub",
        "id:National-AI-Research-Hub",
        "id:Samsung-AI-Center-Seoul",
    ] {
        seoul.assert_has(&[("entity", entity)]);
        text_alone(|| run("located-in", &[("place", "Seoul")]).assert_lacks(&[("entity", entity)]));
    }
}

// ---------------------------------------------------------------------------
// Organisations and their units
// ---------------------------------------------------------------------------

#[test]
fn the_three_ai_labs_of_etri() {
    with_and_without_readings(|| {
        // kr II: "Il abrite notamment trois laboratoires spécialisés ... : l’Artificial Intelligence
        // Computing Research Laboratory ... l’Artificial Intelligence Creative Research Laboratory ...
        // le Korea Artificial Intelligence Safety Institute"
        let etri = run("units", &[("organisation", "ETRI")]);
        assert_eq!(
            etri.column("unit"),
            set(&[
                "id:ETRI-AI-Computing-Lab",
                "id:ETRI-AI-Creative-Lab",
                "id:Korea-AISI"
            ])
        );
        assert_eq!(
            cell(etri.row(&[("unit", "id:Korea-AISI")]), "website"),
            Some("<https://www.aisi.re.kr/eng/contents/22>")
        );
        // The count the text gives: "trois laboratoires".
        let count = run("quantities", &[("of", "ETRI")]);
        assert_eq!(count.column("value"), set(&["3"]));
    });
}

#[test]
fn units_of_kaist_and_inria_transitively() {
    // kr III.3: "le Theory of Computation Lab du Department of Computer Science du KAIST";
    // kr II: "l’AI Institute du KAIST".
    let kaist = run("units", &[("organisation", "KAIST")]);
    assert_eq!(
        kaist.column("unit"),
        set(&[
            "id:KAIST-AI-Institute",
            "id:KAIST-Computer-Science-Department",
            "id:KAIST-Theory-of-Computation-Lab"
        ])
    );
    assert_eq!(
        cell(
            kaist.row(&[("unit", "id:KAIST-Theory-of-Computation-Lab")]),
            "parent"
        ),
        Some("id:KAIST-Computer-Science-Department")
    );
    // kr III.3: "l’équipe Inria « ... » (ACENTAURI)"; "Bilel Derbel (équipe-projet BONUS, CRI Lille)".
    let inria = run("units", &[("organisation", "Inria")]);
    assert_eq!(
        inria.column("unit"),
        set(&["id:ACENTAURI", "id:BONUS", "id:CRI-Lille"])
    );
    // CRI Lille (and BONUS with it) is Inria's only by the editor's reading (src:kr-078-r1): the text
    // never expands "CRI Lille". ACENTAURI is "l’équipe Inria" in words.
    let inria = text_alone(|| run("units", &[("organisation", "Inria")]));
    assert_eq!(inria.column("unit"), set(&["id:ACENTAURI"]));
}

/// The Korean partners of Inria whose country the text gives in words (kr III.3: "laboratoires et
/// universités sud-coréens", the KISTI; kr II: KAIST, Korea University and Sungkyunkwan in the list of
/// "universités coréennes").
const INRIA_KOREAN_PARTNERS_IN_WORDS: [&str; 8] = [
    "id:KAIST",
    "id:KETI",
    "id:Chungbuk-National-University",
    "id:Sungkyunkwan-University",
    "id:Korea-University",
    "id:SeoulTech",
    "id:Acryl",
    "id:KISTI",
];

#[test]
fn the_korean_partners_of_inria_and_through_what() {
    let partners = run("korean-partners", &[("organisation", "Inria")]);
    // kr III.3, the three projects and the KISTI relation.
    let mut all = INRIA_KOREAN_PARTNERS_IN_WORDS.to_vec();
    all.push("id:Chung-Ang-University");
    assert_eq!(partners.column("partner"), set(&all));
    // "Une Équipe Associée (EA) « ... » (AISENSE) est portée depuis 2023 par l’équipe Inria « ... »
    // (ACENTAURI) et le Theory of Computation Lab du Department of Computer Science du KAIST."
    partners.assert_has(&[
        ("partner", "id:KAIST"),
        ("through", "id:AISENSE"),
        ("ownSide", "id:ACENTAURI"),
        ("partnerSide", "id:KAIST-Theory-of-Computation-Lab"),
    ]);
    // "Inria est également engagé dans le projet « Adaptive Personality for Intelligent Agents »,
    // dirigé par le Dr Hyedong Jung du Korea Electronics Technology Institute (KETI)."
    partners.assert_has(&[
        ("partner", "id:KETI"),
        ("through", "id:Adaptive-Personality-Project"),
        ("partnerSide", "id:Hyedong-Jung"),
    ]);
    for university in [
        "id:Chungbuk-National-University",
        "id:Sungkyunkwan-University",
        "id:Korea-University",
        "id:SeoulTech",
        "id:Acryl",
    ] {
        partners.assert_has(&[
            ("partner", university),
            ("through", "id:Adaptive-Personality-Project"),
        ]);
    }
    // "Inria a également participé au projet « Adaptive Optimization ... », mené par Bilel Derbel ...
    // en partenariat avec un chercheur de l’Université Chung-Ang."
    partners.assert_has(&[
        ("partner", "id:Chung-Ang-University"),
        ("through", "id:Adaptive-Optimization-Project"),
        ("partnerSide", "id:Chung-Ang-Researcher"),
    ]);
    // "Les deux instituts ont signé un protocole d’accord en juin 2023"; "un workshop ... réunissant
    // Inria, le KISTI et le KAIST".
    partners.assert_has(&[("partner", "id:KISTI"), ("through", "id:Inria-KISTI-MoU")]);
    partners.assert_has(&[
        ("partner", "id:KISTI"),
        ("through", "id:Inria-KISTI-KAIST-Workshop-2024"),
    ]);
    partners.assert_has(&[
        ("partner", "id:KAIST"),
        ("through", "id:Inria-KISTI-KAIST-Workshop-2024"),
    ]);

    // The text alone gives every partner but Chung-Ang University, which only the framing of section
    // III.3 ("Présence d’Inria en République de Corée") places in Korea (src:kr-078-r2).
    text_alone(|| {
        let partners = run("korean-partners", &[("organisation", "Inria")]);
        assert_eq!(
            partners.column("partner"),
            set(&INRIA_KOREAN_PARTNERS_IN_WORDS)
        );
        partners.assert_has(&[
            ("partner", "id:KAIST"),
            ("through", "id:AISENSE"),
            ("ownSide", "id:ACENTAURI"),
            ("partnerSide", "id:KAIST-Theory-of-Computation-Lab"),
        ]);
    });
}

#[test]
fn the_korean_partner_of_nyu() {
    with_and_without_readings(|| {
        // kr I.2: "le MSIT a annoncé l’ouverture du Global AI Frontier Lab à New York, en partenariat avec
        // l’Université de New York (NYU)".
        let nyu = run("korean-partners", &[("organisation", "NYU")]);
        assert_eq!(nyu.column("partner"), set(&["id:MSIT"]));
    });
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

#[test]
fn what_the_msit_launched_in_date_order() {
    with_and_without_readings(|| {
        // kr I.4 "En 2022, le MSIT a lancé le Comprehensive Plan to Nurture Digital Talent";
        // kr I.1 "En juin 2023, le MSIT a lancé le projet K-Cloud";
        // kr I.2 "En septembre 2024, le MSIT a annoncé l’ouverture du Global AI Frontier Lab";
        // kr I.2 "En novembre 2024, le MSIT, en partenariat avec l’ ETRI, a lancé l’AI Safety Research Institute";
        // kr I.4 "le MSIT a inauguré en janvier 2025 le programme AI Star Fellowship";
        // kr I.4 "en février 2025, le MSIT a également lancé le Industry-Academia Program for AI
        // Semiconductor Talent Development";
        // kr III.3 "le Fonds franco-coréen pour l’intelligence artificielle, lancé conjointement par le MSIT
        // et le MEAE" (no date: last).
        let msit = run("launched-by", &[("launcher", "MSIT")]);
        assert_eq!(
            msit.sequence("launched"),
            vec![
                "id:Digital-Talent-Plan",
                "id:K-Cloud",
                "id:Global-AI-Frontier-Lab",
                "id:AI-Safety-Research-Institute",
                "id:AI-Star-Fellowship",
                "id:AI-Semiconductor-Talent-Program",
                "id:French-Korean-AI-Fund",
            ]
        );
        assert_eq!(
            msit.sequence("date"),
            vec!["2022", "2023-06", "2024-09", "2024-11", "2025-01", "2025-02"]
        );

        // kr I.4: "le ministère de l’Education (MOE) a lancé en octobre 2024, le AI-Digital (AID) 30+ Project".
        let moe = run("launched-by", &[("launcher", "MOE")]);
        assert_eq!(moe.column("launched"), set(&["id:AID-30-Project"]));
        assert_eq!(moe.column("date"), set(&["2024-10"]));
    });
}

#[test]
fn what_happened_in_november_2024() {
    // kr I.2: "En novembre 2024, le MSIT ... a lancé l’AI Safety Research Institute";
    // kr III.3: "un workshop a été organisé les 24 et 26 novembre 2024".
    let november = run("in-month", &[("month", "2024-11")]);
    assert_eq!(
        november.column("entity"),
        set(&[
            "id:AI-Safety-Research-Institute",
            "id:Inria-KISTI-KAIST-Workshop-2024",
            "id:Workshop-2024-Day-1",
            "id:Workshop-2024-Day-2",
        ])
    );
    assert_eq!(
        november.sequence("date"),
        vec!["2024-11", "2024-11-24", "2024-11-26"]
    );
    // "La première journée s’est tenue au KAIST à Daejeon, tandis que la seconde a eu lieu à l’AI
    // Research Hub de Séoul": the days' dates are the editor's reading of the sentence before
    // (src:kr-083-r1); the text alone dates the workshop, not each day.
    let november = text_alone(|| run("in-month", &[("month", "2024-11")]));
    assert_eq!(
        november.column("entity"),
        set(&[
            "id:AI-Safety-Research-Institute",
            "id:Inria-KISTI-KAIST-Workshop-2024",
        ])
    );
}

#[test]
fn what_happened_in_june_2023_and_january_2026() {
    with_and_without_readings(|| {
        // kr I.1 "En juin 2023, le MSIT a lancé le projet K-Cloud"; kr III.1 "Le 20 juin 2023, Paris a
        // accueilli la 8ᵉ réunion du comité mixte"; kr III.3 "Les deux instituts ont signé un protocole
        // d’accord en juin 2023".
        let june = run("in-month", &[("month", "2023-06")]);
        assert_eq!(
            june.column("entity"),
            set(&["id:K-Cloud", "id:COMIX-2023", "id:Inria-KISTI-MoU"])
        );
        june.assert_has(&[("entity", "id:COMIX-2023"), ("date", "2023-06-20")]);
        // kr I.3: SKAIA, "dont l’entrée en vigueur est prévue pour janvier 2026".
        let january = run("in-month", &[("month", "2026-01")]);
        january.assert_has(&[("entity", "id:SKAIA"), ("what", "entry into force")]);
    });
}

#[test]
fn timeline_of_2025() {
    let year = run("timeline", &[("year", "2025")]);
    // vn: "la Semaine internationale du numérique du Vietnam 2025 et ... le Forum numérique Vietnam-Corée 2025";
    // kr I.4: AI Star Fellowship "en janvier 2025"; kr III.1: ANR-NRF call "en février 2025";
    // vn: "En août dernier, l'Assemblée générale des Nations Unies a adopté ... une résolution" (2025-08).
    for entity in [
        "id:Vietnam-Korea-Digital-Forum-2025",
        "id:AI-Star-Fellowship",
        "id:ANR-NRF-Call-2025",
        "id:UNGA-AI-Mechanisms-Resolution",
    ] {
        year.assert_has(&[("entity", entity)]);
    }
    // "En août dernier" gives no year: 2025-08 is the editor's reading of the article's date
    // (src:vn-021-r1), absent from the text alone; the other dates are in the text.
    text_alone(|| {
        let year = run("timeline", &[("year", "2025")]);
        year.assert_has(&[("entity", "id:Vietnam-Korea-Digital-Forum-2025")]);
        year.assert_has(&[("entity", "id:ANR-NRF-Call-2025")]);
        year.assert_lacks(&[("entity", "id:UNGA-AI-Mechanisms-Resolution")]);
    });
    assert!(
        year.column("date").iter().all(|d| d.starts_with("2025")),
        "{:?}",
        year.column("date")
    );
    // Dates sort as ISO 8601: the whole timeline starts with the 2019 national strategy (kr I: "Depuis
    // l’adoption en 2019 de sa Stratégie nationale pour l’intelligence artificielle").
    let all = run("timeline", &[]);
    assert_eq!(
        all.rows.first().and_then(|r| cell(r, "entity")),
        Some("id:National-AI-Strategy-2019")
    );
    let dates = all.sequence("date");
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
}

#[test]
fn periods() {
    with_and_without_readings(|| {
        let periods = run("periods", &[]);
        // kr I.1: "une nouvelle stratégie nationale de R&D pour la période 2024-2027".
        let strategy = periods.row(&[("item", "id:National-RD-Strategy-2024-2027")]);
        assert_eq!(
            (cell(strategy, "start"), cell(strategy, "end")),
            (Some("2024"), Some("2027"))
        );
        // kr III.3: AISENSE "est portée depuis 2023".
        let aisense = periods.row(&[("item", "id:AISENSE")]);
        assert_eq!(
            (cell(aisense, "start"), cell(aisense, "end")),
            (Some("2023"), None)
        );
    });
}

// ---------------------------------------------------------------------------
// Laws, agreements, mechanisms, events
// ---------------------------------------------------------------------------

#[test]
fn laws_and_their_entry_into_force() {
    with_and_without_readings(|| {
        let laws = run("laws", &[]);
        // kr I.3: "En décembre 2024, l’Assemblée nationale a également adopté la première Loi fondamentale
        // sur l’IA (South Korean AI Act – SKAIA), dont l’entrée en vigueur est prévue pour janvier 2026."
        let skaia = laws.row(&[("law", "id:SKAIA")]);
        assert_eq!(cell(skaia, "adoptedBy"), Some("id:National-Assembly-KR"));
        assert_eq!(cell(skaia, "adopted"), Some("2024-12"));
        assert_eq!(cell(skaia, "entryIntoForce"), Some("2026-01"));
        assert_eq!(cell(skaia, "acronym"), Some("SKAIA"));
        // vn: "la promulgation par le Vietnam de la loi sur l'industrie des technologies numériques";
        // "l'expérience de la loi européenne sur l'IA".
        assert_eq!(
            cell(
                laws.row(&[("law", "id:Digital-Technology-Industry-Law-VN")]),
                "adoptedBy"
            ),
            Some("id:Vietnam")
        );
        assert_eq!(
            laws.column("law"),
            set(&[
                "id:SKAIA",
                "id:Digital-Technology-Industry-Law-VN",
                "id:EU-AI-Act"
            ])
        );
    });
}

#[test]
fn agreements() {
    with_and_without_readings(|| {
        let agreements = run("agreements", &[]);
        // kr III.3: "Les deux instituts ont signé un protocole d’accord en juin 2023 dans le cadre du COMIX".
        for party in ["id:Inria", "id:KISTI"] {
            agreements.assert_has(&[
                ("agreement", "id:Inria-KISTI-MoU"),
                ("party", party),
                ("date", "2023-06"),
                ("framework", "id:COMIX"),
            ]);
        }
        // kr I.5: "le AI Seoul Summit, qui a abouti à l’adoption de la Déclaration de Séoul pour une IA sûre,
        // innovante et inclusive" (mai 2024).
        agreements.assert_has(&[
            ("agreement", "id:Seoul-Declaration"),
            ("framework", "id:AI-Seoul-Summit"),
            ("date", "2024-05"),
        ]);
        // vn: "sa participation à la Convention des Nations Unies pour la prévention et la lutte contre la
        // cybercriminalité (Convention de Hanoï)".
        agreements.assert_has(&[
            ("agreement", "id:Hanoi-Convention"),
            ("party", "id:Vietnam"),
        ]);
    });
}

#[test]
fn international_mechanisms_and_summits() {
    let mechanisms = run("international-mechanisms", &[]);
    // vn: "En août dernier, l'Assemblée générale des Nations Unies a adopté à l'unanimité une résolution
    // établissant deux nouveaux mécanismes mondiaux permanents : le Conseil scientifique international
    // indépendant sur l'IA et le Dialogue mondial sur la gouvernance de l'IA au sein des Nations Unies."
    for mechanism in [
        "id:International-Scientific-Council-AI",
        "id:Global-Dialogue-AI-Governance",
    ] {
        mechanisms.assert_has(&[
            ("mechanism", mechanism),
            ("status", "established"),
            ("adoptedBy", "id:UN-General-Assembly"),
            ("date", "2025-08"),
        ]);
    }
    // vn: "le Secrétaire général de l'ONU a proposé la création d'un Fonds mondial pour l'IA".
    mechanisms.assert_has(&[
        ("mechanism", "id:Global-AI-Fund"),
        ("status", "proposed"),
        ("by", "id:UN-Secretary-General"),
    ]);

    let events = run("events", &[]);
    // kr I.5: "En novembre 2023, elle a participé au AI Safety Summit de Bletchley (Royaume-Uni)".
    events.assert_has(&[
        ("event", "id:AI-Safety-Summit-2023"),
        ("date", "2023-11"),
        ("heldIn", "id:Bletchley"),
        ("relation", "participant"),
        ("who", "id:Korea"),
    ]);
    // kr I.5: "En mai 2024, Séoul a accueilli, en partenariat avec Londres, le AI Seoul Summit".
    for host in ["id:Seoul", "id:London"] {
        events.assert_has(&[
            ("event", "id:AI-Seoul-Summit"),
            ("date", "2024-05"),
            ("relation", "hosted by"),
            ("who", host),
        ]);
    }
    // Date order: the 8th COMIX meeting (20 June 2023) comes first.
    assert_eq!(
        events.rows.first().and_then(|r| cell(r, "event")),
        Some("id:COMIX-2023")
    );
    // Events held in Korea: not Bletchley, not Paris.
    let in_korea = run("events", &[("place", "id:Korea")]);
    in_korea.assert_has(&[("event", "id:AI-Seoul-Summit")]);
    in_korea.assert_lacks(&[("event", "id:AI-Safety-Summit-2023")]);
    in_korea.assert_lacks(&[("event", "id:COMIX-2023")]);

    // The text alone: the mechanisms are established by the resolution the General Assembly adopted
    // "en août dernier", with no year; the summits as the text words them.
    text_alone(|| {
        let mechanisms = run("international-mechanisms", &[]);
        mechanisms.assert_has(&[
            ("mechanism", "id:Global-Dialogue-AI-Governance"),
            ("status", "established"),
            ("adoptedBy", "id:UN-General-Assembly"),
            ("within", "id:UN"),
        ]);
        assert!(
            mechanisms.column("date").is_empty(),
            "{}",
            mechanisms.dump()
        );
        let events = run("events", &[]);
        events.assert_has(&[
            ("event", "id:AI-Seoul-Summit"),
            ("relation", "hosted by"),
            ("who", "id:London"),
        ]);
        events.assert_has(&[
            ("event", "id:AI-Safety-Summit-2023"),
            ("heldIn", "id:Bletchley"),
        ]);
        // Bletchley "(Royaume-Uni)" is in the United Kingdom in words.
        run("events", &[("place", "id:United-Kingdom")])
            .assert_has(&[("event", "id:AI-Safety-Summit-2023")]);
    });
}

// ---------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------

#[test]
fn people_their_roles_and_where_they_spoke() {
    with_and_without_readings(|| {
        let people = run("people", &[]);
        // vn: "M. Park Yun Gyu, président de l'Agence nationale coréenne de promotion de l'industrie des
        // technologies de l'information (NIPA)".
        let park = people.row(&[("person", "id:Park-Yun-Gyu")]);
        assert_eq!(cell(park, "organisation"), Some("id:NIPA"));
        assert_eq!(
            cell(park, "role"),
            Some("President of the Korean National IT Industry Promotion Agency"),
            "the role in English, a translation"
        );
        // vn: "L'ambassadeur de l'UE au Vietnam, Julien Guerrier".
        let guerrier = people.row(&[("person", "id:Julien-Guerrier")]);
        assert_eq!(cell(guerrier, "organisation"), Some("id:EU"));
        assert_eq!(cell(guerrier, "role"), Some("EU Ambassador to Vietnam"));
        // The roles as the text words them: lang=fr.
        let in_french = run("people", &[("lang", "fr")]);
        assert_eq!(
            cell(in_french.row(&[("person", "id:Julien-Guerrier")]), "role"),
            Some("ambassadeur de l'UE au Vietnam")
        );
        assert!(
            cell(in_french.row(&[("person", "id:Park-Yun-Gyu")]), "role")
                .is_some_and(|r| r.starts_with("président de l'Agence nationale coréenne")),
            "{}",
            in_french.dump()
        );
        // vn: "L’ambassadeur de Corée au Vietnam, Choi Young Sam".
        assert_eq!(
            cell(people.row(&[("person", "id:Choi-Young-Sam")]), "country"),
            Some("id:Korea")
        );
        // kr III.3: "dirigé par le Dr Hyedong Jung du Korea Electronics Technology Institute (KETI)".
        people.assert_has(&[
            ("person", "id:Hyedong-Jung"),
            ("organisation", "id:KETI"),
            ("leads", "id:Adaptive-Personality-Project"),
        ]);
        // vn: "Lors du Forum de coopération numérique Vietnam-UE, le vice-ministre des Sciences et des
        // Technologies, Bui The Duy, a affirmé".
        people.assert_has(&[
            ("person", "id:Bui-The-Duy"),
            ("spokeAt", "id:Vietnam-EU-Digital-Cooperation-Forum"),
        ]);

        // vn: "Dans le cadre de la Semaine internationale du numérique du Vietnam 2025 et lors du Forum
        // numérique Vietnam-Corée 2025, le vice-ministre des Sciences et des Technologies, Hoang Minh, a
        // souligné".
        let hoang = run("people", &[("person", "Hoang Minh")]);
        assert_eq!(hoang.column("person"), set(&["id:Hoang-Minh"]));
        assert_eq!(
            hoang.column("role"),
            set(&["Deputy Minister of Science and Technology"])
        );
        assert_eq!(
            run("people", &[("person", "Hoang Minh"), ("lang", "fr")]).column("role"),
            set(&["vice-ministre des Sciences et des Technologies"])
        );
        assert!(hoang
            .column("spokeAt")
            .contains("id:Vietnam-Korea-Digital-Forum-2025"));
    });
}

// ---------------------------------------------------------------------------
// Programmes, priorities, funds
// ---------------------------------------------------------------------------

#[test]
fn programmes_supporting_french_korean_mobility() {
    with_and_without_readings(|| {
        // kr III.2: "un programme de financement de missions scientifiques exploratoires (programme STAR-T)
        // soutenant notamment la mobilité vers la République de Corée des chercheurs en intelligence
        // artificielle basés en France"; "le programme PHC STAR, qui soutient les échanges de chercheurs
        // entre la France et la République de Corée".
        let programmes = run("mobility-programmes", &[]);
        assert_eq!(
            programmes.column("programme"),
            set(&["id:STAR-T", "id:PHC-STAR"])
        );
        assert_eq!(
            cell(programmes.row(&[("programme", "id:STAR-T")]), "launchedBy"),
            Some("id:French-Embassy-KR-Science-Section")
        );
    });
}

#[test]
fn vietnam_ai_priorities_and_funds() {
    let vietnam = run("country-agenda", &[("country", "id:Vietnam")]);
    // vn: "Le Vietnam a notamment identifié comme priorité, pour la période à venir, la construction de
    // son infrastructure intellectuelle en IA, la mise en place rapide d'un Centre national de
    // supercalculateurs dédié à l'IA et le partage de données d'IA ouvertes."
    for item in [
        "id:Topic-AI-Intellectual-Infrastructure",
        "id:National-AI-Supercomputing-Centre-VN",
        "id:Topic-Open-AI-Data-Sharing",
    ] {
        vietnam.assert_has(&[("item", item), ("passage", "src:vn-002")]);
    }
    // vn: "notamment grâce au Fonds national d’innovation technologique (NATIF)";
    // "la stratégie « Fabriquer au Vietnam »".
    vietnam.assert_has(&[("item", "id:NATIF"), ("class", "aikg:Fund")]);
    vietnam.assert_has(&[("item", "id:Make-in-Vietnam"), ("class", "aikg:Strategy")]);
    // The "Fonds national" NATIF is Vietnam's by the editor's reading (src:vn-005-r1); the priorities
    // and the strategy « Fabriquer au Vietnam » are Vietnam's in words.
    text_alone(|| {
        let vietnam = run("country-agenda", &[("country", "id:Vietnam")]);
        vietnam.assert_has(&[
            ("item", "id:National-AI-Supercomputing-Centre-VN"),
            ("passage", "src:vn-002"),
        ]);
        vietnam.assert_has(&[("item", "id:Make-in-Vietnam")]);
        vietnam.assert_lacks(&[("item", "id:NATIF")]);
    });

    let funds = run("funds", &[]);
    // vn: NATIF "allouera une part importante de ses ressources au soutien des entreprises appliquant
    // l’IA à la gestion et à la production".
    let natif = funds.row(&[("fund", "id:NATIF")]);
    assert_eq!(cell(natif, "country"), Some("id:Vietnam"));
    assert_eq!(cell(natif, "acronym"), Some("NATIF"));
    // kr III.3: "le Fonds franco-coréen pour l’intelligence artificielle, lancé conjointement par le MSIT
    // et le MEAE".
    for launcher in ["id:MSIT", "id:MEAE"] {
        funds.assert_has(&[
            ("fund", "id:French-Korean-AI-Fund"),
            ("launchedBy", launcher),
            ("finances", "id:Adaptive-Optimization-Project"),
        ]);
    }
    // kr I.1: "Un fonds spécifique de 1,4 trillion de wons".
    assert_eq!(
        number(funds.row(&[("fund", "id:AI-Semiconductor-Fund")]), "amount"),
        1_400_000_000_000.0
    );
}

#[test]
fn counts_the_documents_give() {
    with_and_without_readings(|| {
        let counts = run("quantities", &[]);
        // kr I.3 "unifier les 19 propositions réglementaires existantes"; kr I.4 "100 établissements
        // proposent des formations adaptées"; "financera chaque année quatre projets de recherche";
        // "Chaque projet permettra de former 20 étudiants par an"; vn "plus de 4 000 publications
        // scientifiques sur l'IA et plus de 50 universités".
        counts.assert_has(&[("of", "id:SKAIA"), ("value", "19")]);
        counts.assert_has(&[("of", "id:AID-30-Project"), ("value", "100")]);
        counts.assert_has(&[("of", "id:AI-Star-Fellowship"), ("value", "4")]);
        counts.assert_has(&[
            ("of", "id:AI-Semiconductor-Talent-Program"),
            ("value", "20"),
        ]);
        counts.assert_has(&[("of", "id:Vietnam"), ("value", "4000")]);
        counts.assert_has(&[("of", "id:Vietnam"), ("value", "50")]);
        // kr I.4 "former un million d’experts du numérique d’ici 2026".
        counts.assert_has(&[
            ("of", "id:Digital-Talent-Plan"),
            ("value", "1000000"),
            ("plannedDate", "2026"),
        ]);
    });
}

// ---------------------------------------------------------------------------
// Topics, web addresses, cooperation, provenance
// ---------------------------------------------------------------------------

#[test]
fn who_works_on_robotics_and_what_clova_works_on() {
    with_and_without_readings(|| {
        // kr II: CARS "l’utilisation de l’IA et de la robotique"; KIMM "la mécanique, des matériaux et de la
        // robotique" and its "Research Institute of AI Robotics"; DGIST "Division of Intelligent Robot";
        // Samsung AI Center Seoul "des secteurs comme la robotique et la santé"; LG AI Research
        // "l'électroménager, la robotique et les solutions de santé".
        let robotics = run("topic-actors", &[("topic", "id:Topic-Robotics")]);
        assert_eq!(
            robotics.column("actor"),
            set(&[
                "id:CARS",
                "id:KIMM",
                "id:KIMM-AI-Robotics-Institute",
                "id:DGIST-Intelligent-Robot-Division",
                "id:Samsung-AI-Center-Seoul",
                "id:LG-AI-Research",
            ])
        );
        // kr II: "CLOVA AI Research ... se distingue par ses travaux sur le traitement du langage naturel,
        // l'IA générative, le deep learning et la sécurité de l'IA ... les assistants intelligents, la
        // synthèse vocale et les systèmes de recommandation".
        let clova = run("focus-areas", &[("entity", "CLOVA AI Research")]);
        assert_eq!(
            clova.column("topic"),
            set(&[
                "id:Topic-NLP",
                "id:Topic-Generative-AI",
                "id:Topic-Deep-Learning",
                "id:Topic-AI-Safety",
                "id:Topic-Intelligent-Assistants",
                "id:Topic-Speech-Synthesis",
                "id:Topic-Recommender-Systems",
            ])
        );
    });
}

#[test]
fn web_addresses() {
    with_and_without_readings(|| {
        let websites = run("websites", &[]);
        // kr II and III.2 list 22 addresses: two for ETRI's labs, the AISI, KIST, KERI, CARS, KIMM, KIAS,
        // the eight university labs, CLOVA, Kakao Brain, Samsung, LG, SK Telecom and the embassy bulletins.
        assert_eq!(websites.column("website").len(), 22, "{}", websites.dump());
        // kr II: "• l’AI Institute du KAIST : https://kaist-ai-institute.github.io/".
        websites.assert_has(&[
            ("entity", "id:KAIST-AI-Institute"),
            ("website", "<https://kaist-ai-institute.github.io/>"),
            ("partOf", "id:KAIST"),
        ]);
        // kr III.2: "https://kr.ambafrance-\nculture.org/secteur-scientifique-universitaire/#bulletin", cut at a line end.
        websites.assert_has(&[
            ("entity", "id:Science-Monitoring-Bulletins"),
            (
                "website",
                "<https://kr.ambafrance-culture.org/secteur-scientifique-universitaire/#bulletin>",
            ),
        ]);
    });
}

#[test]
fn franco_korean_cooperation() {
    let cooperation = run("franco-korean-cooperation", &[]);
    // kr III.1: "la 8ᵉ réunion du comité mixte ... (COMIX), coprésidée par le ministère français de
    // l’Enseignement supérieur et de la Recherche (MESR) et le MSIT coréen".
    cooperation.assert_has(&[
        ("item", "id:COMIX-2023"),
        ("sideA", "id:MESR"),
        ("sideB", "id:MSIT"),
        ("date", "2023-06-20"),
    ]);
    // kr III.1: "l’Agence nationale de la recherche (ANR) et la National Research Foundation of Korea
    // (NRF) ont lancé en février 2025 un appel à projets".
    cooperation.assert_has(&[
        ("item", "id:ANR-NRF-Call-2025"),
        ("sideA", "id:ANR"),
        ("sideB", "id:NRF"),
        ("date", "2025-02"),
    ]);
    // kr III.3: the fund "lancé conjointement par le MSIT et le MEAE".
    cooperation.assert_has(&[
        ("item", "id:French-Korean-AI-Fund"),
        ("sideA", "id:MEAE"),
        ("sideB", "id:MSIT"),
    ]);
    // kr III.3: AISENSE, ACENTAURI and KAIST's Theory of Computation Lab, "depuis 2023".
    cooperation.assert_has(&[
        ("item", "id:AISENSE"),
        ("sideA", "id:ACENTAURI"),
        ("sideB", "id:KAIST-Theory-of-Computation-Lab"),
        ("date", "2023"),
    ]);
    // In date order: the MoU and the COMIX meeting of June 2023 come before the 2024 workshop.
    let items = cooperation.sequence("item");
    let position = |item: &str| items.iter().position(|i| i == item).unwrap();
    assert!(position("id:COMIX-2023") < position("id:Inria-KISTI-KAIST-Workshop-2024"));
    assert!(position("id:Inria-KISTI-KAIST-Workshop-2024") < position("id:ANR-NRF-Call-2025"));

    // The text alone names the French side in words only for the COMIX meeting ("le ministère
    // français ... (MESR)"): that the ANR, the MEAE and Inria's team are French is the editor's
    // reading (src:kr-062-r1, src:kr-079-r1, src:kr-070-r1).
    text_alone(|| {
        let cooperation = run("franco-korean-cooperation", &[]);
        cooperation.assert_has(&[
            ("item", "id:COMIX-2023"),
            ("sideA", "id:MESR"),
            ("sideB", "id:MSIT"),
        ]);
        cooperation.assert_lacks(&[("item", "id:ANR-NRF-Call-2025")]);
        cooperation.assert_lacks(&[("item", "id:French-Korean-AI-Fund")]);
    });
}

#[test]
fn the_sources_of_every_fact_about_k_cloud() {
    with_and_without_readings(|| {
        let sources = run("sources", &[("entity", "K-Cloud")]);
        // kr I.1: the passage that gives the amount and the launch.
        let launch = sources.row(&[
            ("subject", "id:K-Cloud"),
            ("property", "aikg:launchedBy"),
            ("value", "id:MSIT"),
        ]);
        assert_eq!(cell(launch, "file"), Some("000_afa6bd9babdf5065.txt"));
        assert_eq!(cell(launch, "section"), Some("I.1"));
        assert!(
            cell(launch, "quote").is_some_and(|q| q.starts_with(
                "En juin 2023, le MSIT a lancé le projet K-Cloud, doté de 826,2 milliards de wons"
            )),
            "{launch:?}"
        );
        // The amount is a fact of the funding node, quoted by the same passage.
        let amount = sources.row(&[("property", "aikg:amount"), ("value", "826200000000")]);
        assert_eq!(cell(amount, "passage"), cell(launch, "passage"));
        // kr Introduction: "de la création d’infrastructures de pointe, telles que le projet K-Cloud".
        assert!(sources.column("section").contains("Introduction"));
    });
}

#[test]
fn doubts_are_recorded_where_the_text_is_ambiguous() {
    with_and_without_readings(|| {
        // kr III.3: "la seconde a eu lieu à l’AI Research Hub de Séoul" — maybe the National AI Research Hub
        // of I.2; the text does not say so.
        let doubts = run("doubts", &[("entity", "id:AI-Research-Hub-Seoul")]);
        assert!(
            doubts
                .column("note")
                .iter()
                .any(|n| n.contains("National AI Research Hub")),
            "{}",
            doubts.dump()
        );
        // kr III.3: "Ce dernier a été financé de 2019 à 2020" — who "ce dernier" is.
        let funding = run(
            "doubts",
            &[("entity", "id:Funding-Adaptive-Optimization-Project")],
        );
        assert!(
            funding
                .column("note")
                .iter()
                .any(|n| n.contains("Ce dernier")),
            "{}",
            funding.dump()
        );
    });
}

#[test]
fn every_named_query_runs_with_its_documented_parameters() {
    with_and_without_readings(|| {
        // Each query parses, declares a title, and runs on the bundled data with example values for its
        // required parameters; optional parameters change the answer only by restricting it.
        let queries = named_query::all(&sources().queries).unwrap();
        assert!(queries.len() >= 20, "{} named queries", queries.len());
        let example = |name: &str| -> &str {
            match name {
                "place" => "id:Korea",
                "organisation" => "Inria",
                "launcher" => "MSIT",
                "month" => "2024-11",
                "country" => "id:Vietnam",
                "entity" | "recipient" => "K-Cloud",
                "topic" => "id:Topic-AI",
                "by" => "MSIT",
                "about" => "id:Vietnam",
                other => panic!("no example value for the parameter {other}"),
            }
        };
        for q in &queries {
            assert!(
                !q.title.is_empty() && !q.description.is_empty(),
                "{}: title and description",
                q.name
            );
            let params: Vec<(&str, &str)> = q
                .params
                .iter()
                .filter(|p| !p.optional)
                .map(|p| (p.name.as_str(), example(&p.name)))
                .collect();
            let answer = run(&q.name, &params);
            assert!(
                !answer.rows.is_empty(),
                "{} {params:?} returns nothing",
                q.name
            );
            // The lang parameter gives French labels.
            if q.params.iter().any(|p| p.name == "lang") {
                let mut french = params.clone();
                french.push(("lang", "fr"));
                let answer_fr = run(&q.name, &french);
                assert_eq!(
                    answer_fr.rows.len(),
                    answer.rows.len(),
                    "{}: same rows in French",
                    q.name
                );
            }
        }
    });
}

#[test]
fn governance_of_the_national_ai_committee() {
    // kr I.3: "la première réunion du National Artificial Intelligence Committee, placé sous tutelle
    // présidentielle et géré par le MSIT".
    let msit = run("governance", &[("by", "MSIT")]);
    msit.assert_has(&[
        ("subject", "id:National-AI-Committee"),
        ("relation", "operated by"),
    ]);
    // kr III.1: the 8th COMIX meeting, "coprésidée par le ... (MESR) et le MSIT coréen".
    msit.assert_has(&[("subject", "id:COMIX-2023"), ("relation", "chaired by")]);
    let all = run("governance", &[]);
    all.assert_has(&[
        ("subject", "id:National-AI-Committee"),
        ("relation", "supervised by"),
        ("by", "id:President-of-Korea"),
    ]);
    // "placé sous tutelle présidentielle" names no president: the supervision by the President of the
    // Republic of Korea is the editor's reading (src:kr-016-r1); "géré par le MSIT" is the text's.
    text_alone(|| {
        let all = run("governance", &[]);
        all.assert_has(&[
            ("subject", "id:National-AI-Committee"),
            ("relation", "operated by"),
            ("by", "id:MSIT"),
        ]);
        all.assert_lacks(&[("relation", "supervised by")]);
    });
}

// ---------------------------------------------------------------------------
// Statements: what the speakers of the Vietnam article said, and what the
// Korean report states as goals, priorities and assets
// ---------------------------------------------------------------------------

/// The statement of a speaker, as the `statements` query gives it.
fn statement<'a>(rows: &'a Rows, id: &str) -> &'a Row {
    rows.row(&[("statement", id)])
}

#[test]
fn what_each_speaker_of_the_vietnam_article_said() {
    with_and_without_readings(|| {
        // vn: "lors du Forum numérique Vietnam-Corée 2025, le vice-ministre ..., Hoang Minh, a souligné
        // que l'IA n'est pas seulement une technologie appliquée, mais qu'elle devient une véritable
        // infrastructure nationale, voire une infrastructure intellectuelle de la nouvelle ère."
        let hoang = run("statements", &[("speaker", "Hoang Minh")]);
        let infrastructure = statement(&hoang, "id:Position-Hoang-Minh-AI-National-Infrastructure");
        assert_eq!(cell(infrastructure, "kind"), Some("aikg:Position"));
        assert_eq!(
            cell(infrastructure, "at"),
            Some("id:Vietnam-Korea-Digital-Forum-2025")
        );
        assert_eq!(cell(infrastructure, "attribution"), Some("text"));
        assert!(cell(infrastructure, "quotedText")
            .is_some_and(|q| q.starts_with("l'IA n'est pas seulement une technologie appliquée")));
        // "Il a affirmé que « quiconque maîtrise l'IA bénéficiera d'un avantage considérable »".
        hoang.assert_has(&[
            ("statement", "id:Position-Hoang-Minh-AI-Advantage"),
            ("attribution", "text"),
        ]);

        // vn: "Lors du Forum de coopération numérique Vietnam-UE, ..., Bui The Duy, a affirmé que la mise en
        // place d'institutions dédiées à l'IA et aux technologies numériques constitue ... un fondement
        // essentiel".
        let bui = run("statements", &[("speaker", "Bui The Duy")]);
        let institutions = statement(&bui, "id:Position-Bui-The-Duy-AI-Institutions");
        assert_eq!(
            cell(institutions, "at"),
            Some("id:Vietnam-EU-Digital-Cooperation-Forum")
        );
        assert_eq!(
            cell(institutions, "role"),
            Some("Deputy Minister of Science and Technology")
        );

        // vn: "Lors de la table ronde ministérielle sur la gouvernance de l'IA, le ministre Nguyen Manh
        // Hung a affirmé : « ... Le Vietnam s'engage à développer une IA centrée sur l'humain, ouverte,
        // sécurisée, souveraine, collaborative, inclusive et durable. »"
        let minister = run("statements", &[("speaker", "Nguyen Manh Hung")]);
        let commitment = statement(&minister, "id:Commitment-Vietnam-Human-Centred-AI");
        assert_eq!(cell(commitment, "kind"), Some("aikg:Commitment"));
        assert_eq!(
            cell(commitment, "at"),
            Some("id:AI-Governance-Ministerial-Roundtable")
        );
        // "« Ensemble, nous façonnons les institutions régionales et mondiales de l'IA."; "Selon le
        // ministre, ... un équilibre est nécessaire entre le global et le local, ...".
        minister.assert_has(&[(
            "statement",
            "id:Position-Nguyen-Manh-Hung-Shaping-AI-Institutions",
        )]);
        minister.assert_has(&[("statement", "id:Position-Nguyen-Manh-Hung-Balance")]);

        // vn: "M. Park Yun Gyu, président de ... (NIPA), a déclaré que le Vietnam est en passe de devenir
        // « le nouveau centre d'innovation en IA de l'Asie du Sud-Est »"; "Selon M. Park, la Corée du Sud
        // développe simultanément deux axes en matière d'IA : l'IA verticale ... et l'IA inclusive".
        let park = run("statements", &[("speaker", "Park Yun Gyu")]);
        assert_eq!(
            cell(
                statement(&park, "id:Position-Park-Yun-Gyu-Vietnam-AI-Hub"),
                "kind"
            ),
            Some("aikg:Position")
        );
        assert_eq!(
            cell(
                statement(&park, "id:Priority-Korea-Vertical-Inclusive-AI"),
                "kind"
            ),
            Some("aikg:Priority")
        );

        // vn: "L’ambassadeur de Corée au Vietnam, Choi Young Sam, a également souligné que ... le
        // développement d’infrastructures numériques communes ... constituera un pilier essentiel."
        let choi = run("statements", &[("speaker", "Choi Young Sam")]);
        assert_eq!(
            cell(
                statement(
                    &choi,
                    "id:Priority-Choi-Young-Sam-Shared-Digital-Infrastructure"
                ),
                "role"
            ),
            Some("Ambassador of Korea to Vietnam")
        );

        // vn: "L'ambassadeur de l'UE au Vietnam, Julien Guerrier, a souligné que le Vietnam et l'UE
        // partagent de nombreuses valeurs communes"; "Il a ajouté que la promulgation par le Vietnam de la
        // loi ... témoignent de l'orientation du développement vers une « IA au service des citoyens, de
        // la sécurité et de l'indépendance »".
        let guerrier = run("statements", &[("speaker", "Julien Guerrier")]);
        guerrier.assert_has(&[("statement", "id:Position-Julien-Guerrier-Shared-Values")]);
        guerrier.assert_has(&[("statement", "id:Position-Julien-Guerrier-AI-For-Citizens")]);
    });

    // Where Park Yun Gyu, Choi Young Sam and Julien Guerrier spoke, the text does not say: the events
    // are the editor's reading (src:vn-007-r2, src:vn-017-r1), and so are the sentences of their
    // paragraphs that do not name them ("L'objectif ultime est...", "En conséquence, la Corée
    // s’engage...", "L'UE s'est également engagée...").
    let park = run("statements", &[("speaker", "Park Yun Gyu")]);
    let hub = statement(&park, "id:Position-Park-Yun-Gyu-Vietnam-AI-Hub");
    assert_eq!(cell(hub, "at"), Some("id:Vietnam-Korea-Digital-Forum-2025"));
    assert_eq!(cell(hub, "attribution"), Some("text and editor's reading"));
    park.assert_has(&[
        ("statement", "id:Goal-Korea-Inclusive-AI-Society"),
        ("attribution", "editor's reading"),
    ]);
    run("statements", &[("speaker", "Choi Young Sam")]).assert_has(&[
        ("statement", "id:Commitment-Korea-Bilateral-Cooperation"),
        ("attribution", "editor's reading"),
    ]);
    run("statements", &[("speaker", "Julien Guerrier")]).assert_has(&[
        ("statement", "id:Commitment-EU-Support-Vietnam"),
        ("at", "id:Vietnam-EU-Digital-Cooperation-Forum"),
    ]);
    text_alone(|| {
        let park = run("statements", &[("speaker", "Park Yun Gyu")]);
        assert_eq!(
            cell(
                statement(&park, "id:Position-Park-Yun-Gyu-Vietnam-AI-Hub"),
                "at"
            ),
            None
        );
        park.assert_lacks(&[("statement", "id:Goal-Korea-Inclusive-AI-Society")]);
        run("statements", &[("speaker", "Choi Young Sam")])
            .assert_lacks(&[("statement", "id:Commitment-Korea-Bilateral-Cooperation")]);
    });
}

#[test]
fn what_the_vietnamese_vice_ministers_said_about_ai_institutions() {
    with_and_without_readings(|| {
        // Both vice-ministers hold the post "vice-ministre des Sciences et des Technologies" (id:MOST-VN);
        // only Bui The Duy speaks of institutions: "la mise en place d'institutions dédiées à l'IA et aux
        // technologies numériques constitue ... un fondement essentiel".
        let said = run(
            "statements",
            &[("speaker", "MOST-VN"), ("topic", "AI institutions")],
        );
        assert_eq!(
            said.column("statement"),
            set(&["id:Position-Bui-The-Duy-AI-Institutions"])
        );
        assert_eq!(said.column("by"), set(&["id:Bui-The-Duy"]));
        // The summary in French, with lang=fr.
        let en_francais = run(
            "statements",
            &[
                ("speaker", "MOST-VN"),
                ("topic", "AI institutions"),
                ("lang", "fr"),
            ],
        );
        assert_eq!(
            en_francais.column("summary"),
            set(&["Mettre en place des institutions dédiées à l'IA et au numérique est une nécessité de gestion et un fondement essentiel pour que la technologie serve l'humanité et le développement durable."])
        );
        // The minister (not a vice-minister) speaks of them too: "Ensemble, nous façonnons les
        // institutions régionales et mondiales de l'IA."
        let all = run("statements", &[("topic", "AI institutions")]);
        all.assert_has(&[("by", "id:Nguyen-Manh-Hung")]);
    });
}

#[test]
fn what_vietnam_sees_as_its_assets_and_challenges() {
    with_and_without_readings(|| {
        let outlook = run("outlook", &[("about", "id:Vietnam")]);
        // vn: "Le Vietnam bénéficie actuellement d’une population jeune, dynamique et férue de technologie,
        // ainsi que d’un écosystème de start-ups en pleine expansion."; "Il apparaît clairement que le
        // Vietnam réunit tous les atouts pour accélérer son développement : des politiques claires, ...";
        // "Avec plus de 4 000 publications scientifiques sur l'IA et plus de 50 universités"; "Le
        // Vietnam joue un rôle de plus en plus important dans le paysage mondial de l'IA."; "Le rapport de
        // l'UNESCO a également classé le Vietnam parmi les premiers pays d'Asie à avoir réalisé une
        // évaluation éthique de l'IA (RAM)".
        let assets: BTreeSet<String> = outlook
            .matching(&[("kind", "aikg:Asset")])
            .iter()
            .filter_map(|r| r.get("statement").cloned())
            .collect();
        assert_eq!(
            assets,
            set(&[
                "id:Asset-Vietnam-Young-Population-Startups",
                "id:Asset-Vietnam-Development-Assets",
                "id:Asset-Vietnam-AI-Research-Training",
                "id:Asset-Vietnam-Growing-Global-Role",
                "id:Asset-Vietnam-AI-Ethics-Assessment",
            ])
        );
        // The UNESCO report says it: "Le rapport de l'UNESCO a également classé le Vietnam".
        outlook.assert_has(&[
            ("statement", "id:Asset-Vietnam-AI-Ethics-Assessment"),
            ("by", "id:UNESCO"),
        ]);
        // vn: "Cependant, cette opportunité s’accompagne de défis en matière d’éthique, d’emploi et de
        // confiance sociale".
        let challenges = run("outlook", &[("about", "id:Vietnam"), ("kind", "challenge")]);
        assert_eq!(
            challenges.column("statement"),
            set(&["id:Challenge-Vietnam-Ethics-Employment-Trust"])
        );
        let topics = run(
            "focus-areas",
            &[("entity", "id:Challenge-Vietnam-Ethics-Employment-Trust")],
        );
        for topic in [
            "id:Topic-AI-Ethics",
            "id:Topic-Employment",
            "id:Topic-Social-Trust",
        ] {
            topics.assert_has(&[("topic", topic)]);
        }
        // Assets come first, then challenges, goals, priorities, commitments and positions.
        let kinds = outlook.sequence("kind");
        assert_eq!(kinds.first().map(String::as_str), Some("aikg:Asset"));
        assert_eq!(kinds.get(1).map(String::as_str), Some("aikg:Challenge"));
    });
}

#[test]
fn who_spoke_at_the_vietnam_korea_forum() {
    // vn: "lors du Forum numérique Vietnam-Corée 2025, le vice-ministre des Sciences et des
    // Technologies, Hoang Minh, a souligné"; Park Yun Gyu and Choi Young Sam ("a également souligné")
    // are read as speakers there (src:vn-007-r2).
    let speakers = run("speakers", &[("event", "Vietnam–Korea Digital Forum 2025")]);
    assert_eq!(
        speakers.column("speaker"),
        set(&["id:Hoang-Minh", "id:Park-Yun-Gyu", "id:Choi-Young-Sam"])
    );
    let hoang = speakers.row(&[("speaker", "id:Hoang-Minh")]);
    assert_eq!(cell(hoang, "presence"), Some("text"));
    assert_eq!(cell(hoang, "organisation"), Some("id:MOST-VN"));
    assert_eq!(
        cell(speakers.row(&[("speaker", "id:Park-Yun-Gyu")]), "presence"),
        Some("editor's reading")
    );
    // The text's speaker first.
    assert_eq!(
        speakers.sequence("speaker").first().map(String::as_str),
        Some("id:Hoang-Minh")
    );
    // The text alone names one speaker at the forum.
    let speakers = text_alone(|| run("speakers", &[("event", "Vietnam–Korea Digital Forum 2025")]));
    assert_eq!(speakers.column("speaker"), set(&["id:Hoang-Minh"]));
    assert_eq!(
        cell(speakers.row(&[("speaker", "id:Hoang-Minh")]), "statements"),
        Some("2")
    );
}

#[test]
fn goals_priorities_and_assets_of_korea_in_the_report() {
    with_and_without_readings(|| {
        let korea = run("outlook", &[("about", "id:Korea")]);
        // kr Introduction: "avec l'ambition de se positionner parmi les trois leaders mondiaux d’ici
        // 2030"; kr I: "avec l’ambition de figurer parmi les trois leaders mondiaux du secteur d’ici 2030"
        // — one goal, reported by two passages.
        let top_three = korea.matching(&[("statement", "id:Goal-Korea-Top-Three-AI-2030")]);
        let passages: BTreeSet<&str> = top_three
            .iter()
            .filter_map(|r| cell(r, "passage"))
            .collect();
        assert_eq!(passages, BTreeSet::from(["src:kr-001"]));
        let words = run("statements", &[("about", "id:Korea"), ("kind", "goal")]);
        words.assert_has(&[("statement", "id:Goal-Korea-Top-Three-AI-2030")]);
        // kr I.5: "la République de Corée s’emploie à jouer un rôle moteur dans l’élaboration des normes
        // internationales"; kr I.4: "Un autre pilier essentiel de cette stratégie est la formation des
        // talents en IA."; Conclusion: "la République de Corée s’affirme comme un acteur majeur".
        korea.assert_has(&[
            ("statement", "id:Goal-Korea-AI-Standards-Leader"),
            ("kind", "aikg:Goal"),
        ]);
        korea.assert_has(&[
            ("statement", "id:Priority-Korea-AI-Talent"),
            ("kind", "aikg:Priority"),
        ]);
        korea.assert_has(&[
            ("statement", "id:Asset-Korea-Major-AI-Actor"),
            ("kind", "aikg:Asset"),
        ]);
        // kr III.1: "À cette occasion [la 8ᵉ réunion du COMIX], l’intelligence artificielle a été
        // identifiée comme un des axes majeurs de coopération."
        let comix = run("statements", &[("event", "id:COMIX-2023")]);
        assert_eq!(
            comix.column("statement"),
            set(&["id:Priority-COMIX-2023-AI-Axis"])
        );
        // Conclusion: "La stratégie du gouvernement coréen, articulée autour de la formation des talents,
        // du renforcement des infrastructures et de l'élargissement de la coopération internationale".
        let government = run(
            "outlook",
            &[("about", "Government-KR"), ("kind", "priority")],
        );
        government.assert_has(&[(
            "statement",
            "id:Priority-Government-KR-Talent-Infrastructure-Cooperation",
        )]);
    });
}

// ---------------------------------------------------------------------------
// Events: places, countries and hosts
// ---------------------------------------------------------------------------

#[test]
fn events_by_country() {
    // vn: the Week is "du Vietnam", the Vietnam–Korea forum is held within it, the Vietnam–EU forum
    // hears Vietnam's vice-minister and the EU's ambassador "au Vietnam": all three are read as held in
    // Vietnam (src:vn-001-r1, src:vn-014-r1); the text names no place for any of them.
    let vietnam = run("events", &[("place", "id:Vietnam")]);
    assert_eq!(
        vietnam.column("event"),
        set(&[
            "id:VIDW-2025",
            "id:Vietnam-Korea-Digital-Forum-2025",
            "id:Vietnam-EU-Digital-Cooperation-Forum",
        ])
    );
    vietnam.assert_has(&[
        ("event", "id:VIDW-2025"),
        ("relation", "hosted by"),
        ("who", "id:Vietnam"),
    ]);
    // "Forum numérique Vietnam-Corée": its two parties, by its name.
    for country in ["id:Vietnam", "id:Korea"] {
        vietnam.assert_has(&[
            ("event", "id:Vietnam-Korea-Digital-Forum-2025"),
            ("relation", "participant"),
            ("who", country),
        ]);
    }
    let all = run("events", &[]);
    // The round table: its speaker is in the text, Vietnam's part in it is read from "Le Vietnam
    // s'engage" in the minister's words; its place is not given.
    all.assert_has(&[
        ("event", "id:AI-Governance-Ministerial-Roundtable"),
        ("relation", "participant"),
        ("who", "id:Vietnam"),
    ]);
    assert!(all
        .matching(&[("event", "id:AI-Governance-Ministerial-Roundtable")])
        .iter()
        .all(|r| cell(r, "heldIn").is_none()));
    // kr III.1: "Le 20 juin 2023, Paris a accueilli la 8ᵉ réunion du comité mixte" — in France because
    // Paris is read as a French city (src:kr-060-r1).
    run("events", &[("place", "id:France")]).assert_has(&[("event", "id:COMIX-2023")]);
    // kr I.3: the National AI Committee's first meeting, read as held in Korea (src:kr-016-r1).
    run("events", &[("place", "id:Korea")])
        .assert_has(&[("event", "id:National-AI-Committee-Meeting-1")]);

    with_and_without_readings(|| {
        // kr III.3: "La première journée s’est tenue au KAIST à Daejeon"; kr II: ETRI "situé à Daejeon,
        // est un acteur clé de la recherche en République de Corée" — the workshop is in Korea in words.
        let korea = run("events", &[("place", "id:Korea")]);
        korea.assert_has(&[("event", "id:Inria-KISTI-KAIST-Workshop-2024")]);
        korea.assert_has(&[
            ("event", "id:Workshop-2024-Day-1"),
            ("relation", "hosted by"),
            ("who", "id:KAIST"),
        ]);
        // kr I.5: "AI Safety Summit de Bletchley (Royaume-Uni)".
        run("events", &[("place", "id:United-Kingdom")])
            .assert_has(&[("event", "id:AI-Safety-Summit-2023")]);
        // vn: each speaker at the event where the text puts them, with the role it gives.
        let all = run("events", &[]);
        for (event, who) in [
            ("id:Vietnam-Korea-Digital-Forum-2025", "id:Hoang-Minh"),
            ("id:Vietnam-EU-Digital-Cooperation-Forum", "id:Bui-The-Duy"),
            (
                "id:AI-Governance-Ministerial-Roundtable",
                "id:Nguyen-Manh-Hung",
            ),
        ] {
            all.assert_has(&[("event", event), ("relation", "speaker"), ("who", who)]);
        }
    });
    // The text alone places none of Vietnam's events.
    text_alone(|| {
        assert!(run("events", &[("place", "id:Vietnam")]).rows.is_empty());
    });
}

// ---------------------------------------------------------------------------
// One model per kind
// ---------------------------------------------------------------------------

#[test]
fn company_research_arms_are_units_of_their_company() {
    // kr II: "CLOVA AI Research, le département de recherche en IA de Naver"; "Kakao Brain, la branche
    // R&D en IA de Kakao" — in words. "Samsung AI Center Seoul ... améliorer l'expérience utilisateur
    // des produits Samsung", "LG AI Research", "SK Telecom AI Center": read as arms of the company whose
    // name they bear (src:kr-057-r1).
    let labs = run("company-labs", &[]);
    let pairs: BTreeSet<(String, String, String)> = labs
        .rows
        .iter()
        .map(|r| (r["company"].clone(), r["lab"].clone(), r["link"].clone()))
        .collect();
    let pair = |c: &str, l: &str, link: &str| (c.to_string(), l.to_string(), link.to_string());
    assert_eq!(
        pairs,
        BTreeSet::from([
            pair("id:Naver", "id:CLOVA-AI-Research", "text"),
            pair("id:Kakao", "id:Kakao-Brain", "text"),
            pair(
                "id:Samsung",
                "id:Samsung-AI-Center-Seoul",
                "editor's reading"
            ),
            pair("id:LG", "id:LG-AI-Research", "editor's reading"),
            pair(
                "id:SK-Telecom",
                "id:SK-Telecom-AI-Center",
                "editor's reading"
            ),
        ])
    );
    // Every research arm is one kind of thing: a research unit, none a company.
    let robotics = run("topic-actors", &[("topic", "id:Topic-Robotics")]);
    for lab in ["id:Samsung-AI-Center-Seoul", "id:LG-AI-Research"] {
        assert_eq!(
            cell(robotics.row(&[("actor", lab)]), "class"),
            Some("aikg:ResearchUnit")
        );
    }
    text_alone(|| {
        assert_eq!(
            run("company-labs", &[]).column("lab"),
            set(&["id:CLOVA-AI-Research", "id:Kakao-Brain"])
        );
    });
}

#[test]
fn cooperations_are_one_kind_and_mechanisms_another() {
    with_and_without_readings(|| {
        // kr Introduction: "La coopération bilatérale dans ce secteur, en particulier avec la France";
        // vn: "La Corée du Sud est considérée comme l'un des principaux partenaires stratégiques du
        // Vietnam"; "le Vietnam renforce ses relations stratégiques avec l'Union européenne (UE)".
        for (cooperation, parties) in [
            ("id:France-Korea-AI-Cooperation", ["id:France", "id:Korea"]),
            ("id:Korea-Vietnam-Cooperation", ["id:Korea", "id:Vietnam"]),
            ("id:Vietnam-EU-Cooperation", ["id:Vietnam", "id:EU"]),
        ] {
            let sources = run("sources", &[("entity", cooperation)]);
            sources.assert_has(&[
                ("subject", cooperation),
                ("property", "rdf:type"),
                ("value", "aikg:Cooperation"),
            ]);
            for party in parties {
                sources.assert_has(&[("subject", party), ("property", "aikg:participatesIn")]);
            }
        }
        // vn: "deux nouveaux mécanismes mondiaux permanents : le Conseil scientifique international
        // indépendant sur l'IA et le Dialogue mondial sur la gouvernance de l'IA" — one kind, typed alike.
        for mechanism in [
            "id:International-Scientific-Council-AI",
            "id:Global-Dialogue-AI-Governance",
        ] {
            run("sources", &[("entity", mechanism)]).assert_has(&[
                ("property", "rdf:type"),
                ("value", "aikg:InternationalOrganization"),
            ]);
        }
        // kr I.1: "le président de la République de Corée a annoncé un plan d’investissement": an
        // announced plan is launched by its announcer, as the MSIT's announced lab.
        run("launched-by", &[("launcher", "id:President-of-Korea")]).assert_has(&[
            ("launched", "id:AI-Investment-Plan-2024"),
            ("date", "2024-04"),
        ]);
    });
}

// ---------------------------------------------------------------------------
// Relations that lived only in quotes
// ---------------------------------------------------------------------------

#[test]
fn relations_stated_by_passages_are_edges() {
    with_and_without_readings(|| {
        // kr III.2: "A travers le programme PHC STAR, qui soutient les échanges de chercheurs entre la
        // France et la République de Corée, l’Ambassade encourage également le dépôt de projets".
        let phc = run("sources", &[("entity", "PHC STAR")]);
        for party in ["id:French-Embassy-KR", "id:France", "id:Korea"] {
            phc.assert_has(&[
                ("subject", party),
                ("property", "aikg:participatesIn"),
                ("passage", "src:kr-066"),
            ]);
        }
        // kr III.2: "Face à la place stratégique que prend la coopération bilatérale en matière
        // d’intelligence artificielle, le secteur scientifique ... s’attache à valoriser et soutenir les
        // initiatives de recherche franco-coréennes".
        run("sources", &[("entity", "id:France-Korea-AI-Cooperation")]).assert_has(&[
            ("subject", "id:French-Embassy-KR-Science-Section"),
            ("property", "aikg:supports"),
            ("passage", "src:kr-065"),
        ]);
        // vn: "L'UE s'est également engagée à soutenir le Vietnam par le biais de programmes tels
        // qu'Horizon Europe".
        run("sources", &[("entity", "EU")]).assert_has(&[
            ("property", "aikg:supports"),
            ("value", "id:Vietnam"),
            ("passage", "src:vn-019"),
        ]);
        // kr I.4: the plan "prévoit notamment ... l’expansion des écoles Meister".
        run("sources", &[("entity", "id:Meister-Schools")]).assert_has(&[
            ("subject", "id:Digital-Talent-Plan"),
            ("property", "aikg:supports"),
        ]);
    });
}

// ---------------------------------------------------------------------------
// Stated versus read
// ---------------------------------------------------------------------------

#[test]
fn the_editors_readings_are_shown_apart_with_their_reason() {
    let doubts = run("doubts", &[]);
    // vn: "En août dernier, l'Assemblée générale des Nations Unies a adopté": the year is inferred from
    // the article's date.
    let august = doubts.row(&[
        ("kind", "editor's reading"),
        ("subject", "id:UNGA-AI-Mechanisms-Resolution"),
        ("property", "aikg:date"),
    ]);
    assert_eq!(cell(august, "value"), Some("2025-08"));
    assert_eq!(cell(august, "passage"), Some("src:vn-021"));
    assert!(cell(august, "note").is_some_and(|n| n.contains("'En août dernier' gives no year")));
    // kr I.2: New York placed in the United States; kr III.3: CRI Lille as a unit of Inria;
    // vn: Horizon Europe run by the EU.
    for (subject, property, value) in [
        ("id:New-York", "aikg:locatedIn", "id:United-States"),
        ("id:CRI-Lille", "aikg:subOrganizationOf", "id:Inria"),
        ("id:Horizon-Europe", "aikg:operatedBy", "id:EU"),
        (
            "id:National-AI-Committee",
            "aikg:supervisedBy",
            "id:President-of-Korea",
        ),
    ] {
        doubts.assert_has(&[
            ("kind", "editor's reading"),
            ("subject", subject),
            ("property", property),
            ("value", value),
        ]);
    }
    // Doubts stay doubts: the hubs that may be one body.
    doubts.assert_has(&[("kind", "doubt"), ("passage", "src:kr-013")]);

    // `aikg explain` says which facts are read, from which passage, and why.
    let entity = aikg::resolve::resolve(store(), "id:UNGA-AI-Mechanisms-Resolution").unwrap();
    let text = aikg::explain::to_text(&aikg::explain::explain(store(), &entity).unwrap());
    assert!(
        text.contains(
            "the editor's reading, not the text's words (src:vn-021-r1), read from src:vn-021:\n  because 'En août dernier' gives no year"
        ),
        "{text}"
    );
    let reading_part = &text[text.find("(src:vn-021-r1)").unwrap()..];
    assert!(
        reading_part.contains("aikg:date  \"2025-08\"^^xsd:gYearMonth"),
        "{text}"
    );

    // The text alone keeps none of them.
    text_alone(|| {
        let doubts = run("doubts", &[]);
        doubts.assert_lacks(&[("kind", "editor's reading")]);
        doubts.assert_has(&[("kind", "doubt"), ("passage", "src:kr-013")]);
    });
}

// ---------------------------------------------------------------------------
// English for analysts, and euros
// ---------------------------------------------------------------------------

#[test]
fn free_text_in_english_alongside_the_french() {
    with_and_without_readings(|| {
        // kr III.2: STAR-T "soutenant notamment la mobilité vers la République de Corée des chercheurs en
        // intelligence artificielle basés en France".
        let programmes = run("mobility-programmes", &[]);
        programmes.assert_has(&[
            ("programme", "id:STAR-T"),
            ("audience", "AI researchers based in France"),
        ]);
        run("mobility-programmes", &[("lang", "fr")]).assert_has(&[
            ("programme", "id:STAR-T"),
            (
                "audience",
                "chercheurs en intelligence artificielle basés en France",
            ),
        ]);
        // vn: NATIF "au soutien des entreprises appliquant l’IA à la gestion et à la production".
        let natif = run("funds", &[]);
        natif.assert_has(&[
            ("fund", "id:NATIF"),
            (
                "audience",
                "companies applying AI to management and production",
            ),
        ]);
        // kr I.4: "100 établissements proposent des formations adaptées".
        run("quantities", &[("of", "id:AID-30-Project")])
            .assert_has(&[("value", "100"), ("unit", "institutions")]);
        run("quantities", &[("of", "id:AID-30-Project"), ("lang", "fr")])
            .assert_has(&[("value", "100"), ("unit", "établissements")]);
    });
}

#[test]
fn every_amount_has_its_euro_figure() {
    with_and_without_readings(|| {
        let fundings = run("funding", &[]);
        // Every amount the text gives comes with its euro figure (kr I.1-I.4 give one next to each won
        // amount; vn gives Horizon Europe's in euros): one column answers "how much in euros".
        for row in fundings.rows.iter().filter(|r| r.contains_key("amount")) {
            assert!(row.contains_key("amountEUR"), "{row:?}");
        }
        // vn: "doté de près de 100 milliards d'euros".
        let horizon = fundings.row(&[("recipient", "id:Horizon-Europe")]);
        assert_eq!(number(horizon, "amountEUR"), 100_000_000_000.0);
        assert_eq!(cell(horizon, "amountEURApproximate"), Some("true"));
    });
}
