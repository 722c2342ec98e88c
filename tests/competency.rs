//! Competency questions: each named query of `queries/` runs on the bundled
//! data and must return what the two source documents say. The expected
//! answers are written from the text (the sentence is quoted next to each),
//! not copied from the output: a change to the data that loses or changes a
//! fact fails here.
//!
//! Documents: `kr` is 000_afa6bd9babdf5065.txt (French embassy report on
//! Korea's AI policy), `vn` is 004_c4cc3dd447fda925.txt (Vietnam–Korea
//! Digital Forum 2025 article).

use aikg::kg::Kg;
use aikg::named_query;
use aikg::query::{self, Answer};
use aikg::remote::{Remote, RemoteOptions};
use aikg::store::{self, Sources};
use oxigraph::model::Term;
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
fn store() -> &'static dyn Kg {
    static STORE: OnceLock<Box<dyn Kg>> = OnceLock::new();
    STORE
        .get_or_init(|| match std::env::var("AIKG_TEST_ENDPOINT") {
            Ok(url) => Box::new(Remote::new(RemoteOptions::new(
                aikg::remote::parse_url("AIKG_TEST_ENDPOINT", &url).unwrap(),
            ))),
            Err(_) => Box::new(store::in_memory(&sources().read_quads().unwrap()).unwrap()),
        })
        .as_ref()
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
    Rows {
        query: format!("{name} {params:?}"),
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
    assert!(
        cell(star, "basis").is_some_and(|b| b.contains("par projet")),
        "{star:?}"
    );
    assert_eq!(cell(star, "endDate"), Some("2030"));

    // kr I.4: "Deux universités seront sélectionnées et recevront chacune un financement annuel de
    // 2 milliards de wons (environ 1 250 000 euros)."
    let talent = fundings.row(&[("recipient", "id:AI-Semiconductor-Talent-Program")]);
    assert_eq!(number(talent, "amount"), 2_000_000_000.0);
    assert_eq!(number(talent, "amountEUR"), 1_250_000.0);
    assert_eq!(cell(talent, "amountEURApproximate"), Some("true"));
    assert!(
        cell(talent, "basis").is_some_and(|b| b.contains("par université")),
        "{talent:?}"
    );

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
}

#[test]
fn fundings_of_one_funder_and_in_french() {
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
}

#[test]
fn funding_totals_by_funder_and_currency() {
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
}

#[test]
fn funding_of_what_a_ministry_launched() {
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
}

// ---------------------------------------------------------------------------
// Places
// ---------------------------------------------------------------------------

#[test]
fn everything_in_daejeon() {
    // kr II: "L'Electronics and Telecommunications Research Institute (ETRI), situé à Daejeon";
    // "Le Korea Institute of Machinery & Materials (KIMM), basé à Daejeon";
    // kr III.3: "La première journée s’est tenue au KAIST à Daejeon".
    let daejeon = run("located-in", &[("place", "Daejeon")]);
    assert_eq!(
        daejeon.column("entity"),
        set(&["id:ETRI", "id:KIMM", "id:KAIST", "id:Workshop-2024-Day-1"])
    );
}

#[test]
fn everything_in_korea_transitively() {
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
    // Placed by country only — kr III.3: "Il rassemble plusieurs laboratoires et universités
    // sud-coréens, parmi lesquels : ... Acryl Inc."; vn: NIPA, "l'Agence nationale coréenne".
    korea.assert_has(&[("entity", "id:Acryl")]);
    korea.assert_has(&[("entity", "id:NIPA")]);
    // kr I.5: Bletchley is in the United Kingdom, not in Korea.
    korea.assert_lacks(&[("entity", "id:AI-Safety-Summit-2023")]);
    korea.assert_lacks(&[("entity", "id:Inria")]);
}

#[test]
fn everything_in_seoul() {
    // kr II: "Le Korea Institute of Science and Technology (KIST), situé à Séoul"; "Le Korea Institute
    // for Advanced Study (KIAS), situé à Séoul"; kr III.3: "la seconde a eu lieu à l’AI Research Hub de
    // Séoul"; kr I.2 Yangjae. Pangyo is "dans la banlieue de Séoul", not in it.
    let seoul = run("located-in", &[("place", "Seoul")]);
    for entity in [
        "id:KIST",
        "id:KIAS",
        "id:Yangjae",
        "id:Seoul-AI-Hub",
        "id:Workshop-2024-Day-2",
    ] {
        seoul.assert_has(&[("entity", entity)]);
    }
    seoul.assert_lacks(&[("entity", "id:AI-Safety-Research-Institute")]);
    seoul.assert_lacks(&[("entity", "id:ETRI")]);
}

// ---------------------------------------------------------------------------
// Organisations and their units
// ---------------------------------------------------------------------------

#[test]
fn the_three_ai_labs_of_etri() {
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
}

#[test]
fn the_korean_partners_of_inria_and_through_what() {
    let partners = run("korean-partners", &[("organisation", "Inria")]);
    // kr III.3, the three projects and the KISTI relation.
    assert_eq!(
        partners.column("partner"),
        set(&[
            "id:KAIST",
            "id:KETI",
            "id:Chungbuk-National-University",
            "id:Sungkyunkwan-University",
            "id:Korea-University",
            "id:SeoulTech",
            "id:Acryl",
            "id:Chung-Ang-University",
            "id:KISTI",
        ])
    );
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
}

#[test]
fn the_korean_partner_of_nyu() {
    // kr I.2: "le MSIT a annoncé l’ouverture du Global AI Frontier Lab à New York, en partenariat avec
    // l’Université de New York (NYU)".
    let nyu = run("korean-partners", &[("organisation", "NYU")]);
    assert_eq!(nyu.column("partner"), set(&["id:MSIT"]));
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

#[test]
fn what_the_msit_launched_in_date_order() {
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
}

#[test]
fn what_happened_in_june_2023_and_january_2026() {
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
}

// ---------------------------------------------------------------------------
// Laws, agreements, mechanisms, events
// ---------------------------------------------------------------------------

#[test]
fn laws_and_their_entry_into_force() {
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
}

#[test]
fn agreements() {
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
}

// ---------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------

#[test]
fn people_their_roles_and_where_they_spoke() {
    let people = run("people", &[]);
    // vn: "M. Park Yun Gyu, président de l'Agence nationale coréenne de promotion de l'industrie des
    // technologies de l'information (NIPA)".
    let park = people.row(&[("person", "id:Park-Yun-Gyu")]);
    assert_eq!(cell(park, "organisation"), Some("id:NIPA"));
    assert!(
        cell(park, "role").is_some_and(|r| r.starts_with("président")),
        "{park:?}"
    );
    // vn: "L'ambassadeur de l'UE au Vietnam, Julien Guerrier".
    let guerrier = people.row(&[("person", "id:Julien-Guerrier")]);
    assert_eq!(cell(guerrier, "organisation"), Some("id:EU"));
    assert_eq!(
        cell(guerrier, "role"),
        Some("ambassadeur de l'UE au Vietnam")
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
        set(&["vice-ministre des Sciences et des Technologies"])
    );
    assert!(hoang
        .column("spokeAt")
        .contains("id:Vietnam-Korea-Digital-Forum-2025"));
}

// ---------------------------------------------------------------------------
// Programmes, priorities, funds
// ---------------------------------------------------------------------------

#[test]
fn programmes_supporting_french_korean_mobility() {
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
}

// ---------------------------------------------------------------------------
// Topics, web addresses, cooperation, provenance
// ---------------------------------------------------------------------------

#[test]
fn who_works_on_robotics_and_what_clova_works_on() {
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
}

#[test]
fn web_addresses() {
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
}

#[test]
fn the_sources_of_every_fact_about_k_cloud() {
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
}

#[test]
fn doubts_are_recorded_where_the_text_is_ambiguous() {
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
}

#[test]
fn every_named_query_runs_with_its_documented_parameters() {
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
}
