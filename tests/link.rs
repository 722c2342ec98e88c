//! Linking on the real extracts of ../shared/external (ROR v2, GeoNames
//! cities, the country table): precision and recall against ids looked up
//! by hand in the extracts; skipped, with a notice, if the folder is absent.

use aikg::link::command::{self, Target};
use aikg::link::scoring::{self, Index, LinkOptions};
use aikg::link::{entities, Dataset};
use aikg::store::{self, Sources};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// This working copy's ontology and data (not whatever a build bundled).
fn working_copy() -> Sources {
    Sources::from_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The real extracts; a missing fixture is a failure, never a silent pass.
fn external() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/external");
    assert!(
        dir.is_dir(),
        "{} is absent: these tests need the real extracts (../shared/external beside the repository)",
        dir.display()
    );
    dir
}

/// Entity → expected id; every other organisation / place must get no link.
/// Each id was looked up in the extract; the record's name is in the comment.
const ROR_EXPECTED: &[(&str, &str)] = &[
    ("ETRI", "03ysstz10"), // Electronics and Telecommunications Research Institute, Daejeon KR
    ("KAIST", "05apxxy63"), // Korea Advanced Institute of Science and Technology, Daejeon KR
    ("KIST", "05kzfa883"), // Korea Institute of Science and Technology, Seoul KR (not 007kjmw55 TZ, 023czzp12 RW)
    ("KISTI", "01k4yrm29"), // Korea Institute of Science & Technology Information
    ("KERI", "03ctacd45"), // Korea Electrotechnology Research Institute, Changwon
    ("KIMM", "01qcq9d74"), // Korea Institute of Machinery & Materials
    ("KIAS", "041hz9568"), // Korea Institute for Advanced Study (not 027hwsm17 MY)
    ("IBS", "00y0zf565"),  // Institute for Basic Science
    ("SNU", "04h9pn542"),  // Seoul National University
    ("Korea-University", "047dqcg40"), // Korea University
    ("POSTECH", "04xysgw12"), // Pohang University of Science and Technology
    ("UNIST", "017cjz748"), // Ulsan National Institute of Science and Technology
    ("DGIST", "03frjya69"), // Daegu Gyeongbuk Institute of Science and Technology
    ("Hanyang-University", "046865y68"), // Hanyang University
    ("Sungkyunkwan-University", "04q78tk20"), // Sungkyunkwan University
    ("Chung-Ang-University", "01r024a98"), // Chung-Ang University (not its hospital 04gr4mh63)
    ("Chungbuk-National-University", "02wnxgj78"), // Chungbuk National University
    ("NRF", "013aysd81"),  // National Research Foundation of Korea
    ("IITP", "01g0hqq23"), // Institute of Information & Communications Technology Planning & Evaluation (not 013w2d378 RU)
    ("Naver", "04nzrnx83"), // Naver (South Korea)
    ("Kakao", "02kb2dn85"), // Kakao Corporation (South Korea), alias Kakao
    ("Kakao-Brain", "017agdj19"), // Kakao Brain (South Korea), child of Kakao
    ("LG-AI-Research", "00nt82y31"), // LG AI Research (South Korea)
    ("LG", "03ddh2c27"),   // LG (South Korea), alias LG Corporation
    ("Samsung", "04w3jy968"), // Samsung (South Korea)
    ("Inria", "02kvxyf05"), // Institut national de recherche en sciences et technologies du numérique
    ("ANR", "00rbzpz17"),   // Agence Nationale de la Recherche
    ("NYU", "0190ak572"),   // New York University
    ("MESR", "03sjk9a61"), // Ministère de l'Enseignement Supérieur, de la Recherche et de l'Espace (not 055a87x75 LU)
    ("MSIT", "01wpjm123"), // Ministry of Science and ICT
    ("MOTIE", "008nkqk13"), // Ministry of Trade, Industry and Energy
    ("MOE-KR", "01p262204"), // Ministry of Education, Sejong KR
    ("MOST-VN", "02b207r52"), // Ministry of Science and Technology, Hanoi VN
    ("MEAE", "00dfd1509"), // Ministère de l'Europe et des Affaires étrangères (acronym not in ROR)
    ("Government-KR", "019xm3p48"), // Government of the Republic of Korea
    ("National-Assembly-KR", "05v6gdb70"), // National Assembly (KR)
    ("EU", "019w4f821"),   // European Union
    ("UN", "006kxhp52"),   // United Nations
    ("UNESCO", "04h4z8k05"), // UNESCO (not its country offices)
    ("ACENTAURI", "037a7q098"), // ACENTAURI Inria project-team
    ("BONUS", "04zja0e38"), // BONUS Inria project-team, Lille
    ("CRI-Lille", "04eej9726"), // Centre Inria de l'Université de Lille (alias Centre de recherche Inria Lille - Nord Europe)
];

const GEONAMES_EXPECTED: &[(&str, &str)] = &[
    ("Daejeon", "1835235"),
    ("Seoul", "1835848"),
    ("Ulsan", "1833747"),
    ("Changwon", "1846326"),
    ("Paris", "2988507"),     // not Paris, Texas 4717560
    ("Lille", "2998324"),     // Lille FR, not Lille BE 2792360
    ("London", "2643743"),    // London GB, not London CA 6058560
    ("New-York", "5128581"),  // New York City
    ("Bletchley", "2655351"), // Bletchley GB
    // Countries (countries.tsv geonameid).
    ("France", "3017382"),
    ("Korea", "1835841"), // South Korea
    ("United-Kingdom", "2635167"),
    ("United-States", "6252001"),
    ("Vietnam", "1562822"),
];

/// Links the bundled graph's entities; returns entity slug → linked id.
fn run(
    dataset: &Dataset,
    countries: &std::path::Path,
    with_country_table: bool,
) -> BTreeMap<String, String> {
    let sources = working_copy();
    let store = store::in_memory(&sources.read_quads().unwrap()).unwrap();
    let entities = entities::read(&store).unwrap();
    let options = LinkOptions {
        country_names: command::country_names(countries).unwrap(),
        ..LinkOptions::default()
    };
    let index = Index::build(dataset);
    let mut links = BTreeMap::new();
    for o in scoring::link(&index, &entities, &options) {
        if let Some(c) = o.linked() {
            links.insert(
                o.entity.iri.rsplit('/').next().unwrap().to_string(),
                index.record(c.record).id.clone(),
            );
        }
    }
    if with_country_table {
        let table = command::read_target(Target::Countries, countries, None).unwrap();
        let table_index = Index::build(&table);
        let options = LinkOptions {
            known_codes: scoring::country_codes(&index, &entities, &options),
            ..options
        };
        for o in scoring::link(&table_index, &entities, &options) {
            if let Some(c) = o.linked() {
                links.insert(
                    o.entity.iri.rsplit('/').next().unwrap().to_string(),
                    table_index.record(c.record).id.clone(),
                );
            }
        }
    }
    links
}

fn score(name: &str, links: &BTreeMap<String, String>, expected: &[(&str, String)]) -> (f64, f64) {
    let expected: BTreeMap<&str, &String> = expected.iter().map(|(e, id)| (*e, id)).collect();
    let correct = links
        .iter()
        .filter(|(e, id)| expected.get(e.as_str()) == Some(id))
        .count();
    for (e, id) in links {
        if expected.get(e.as_str()) != Some(&id) {
            eprintln!(
                "  {name}: WRONG link {e} -> {id} (expected {:?})",
                expected.get(e.as_str())
            );
        }
    }
    for (e, id) in &expected {
        if !links.contains_key(*e) {
            eprintln!("  {name}: missed {e} -> {id}");
        }
    }
    let precision = if links.is_empty() {
        1.0
    } else {
        correct as f64 / links.len() as f64
    };
    let recall = correct as f64 / expected.len() as f64;
    println!(
        "{name}: {} links made, {correct} right, {} entities with a record: precision {:.1}%, recall {:.1}%",
        links.len(),
        expected.len(),
        precision * 100.0,
        recall * 100.0
    );
    (precision, recall)
}

#[test]
fn ror_links_are_right_on_the_real_extract() {
    let dir = external();
    let dataset =
        command::read_target(Target::Ror, &dir.join("ror/ror-records-v2.json"), None).unwrap();
    let links = run(&dataset, &dir.join("countries.tsv"), false);
    let expected: Vec<(&str, String)> = ROR_EXPECTED
        .iter()
        .map(|(e, id)| (*e, format!("https://ror.org/{id}")))
        .collect();
    let (precision, recall) = score("ROR", &links, &expected);
    // Records that do not exist, or namesakes abroad: no link.
    for absent in [
        "NIPA",
        "SeoulTech",
        "KETI",
        "Samsung-AI-Center-Seoul",
        "SK-Telecom-AI-Center",
        "CLOVA-AI-Research",
    ] {
        assert!(
            !links.contains_key(absent),
            "{absent} must get no match, got {:?}",
            links.get(absent)
        );
    }
    assert_eq!(precision, 1.0);
    assert!(recall >= 0.95, "recall {recall}");
}

#[test]
fn geonames_links_are_right_on_the_real_extract() {
    let dir = external();
    let dataset = command::read_target(
        Target::Geonames,
        &dir.join("geonames/cities15000.tsv"),
        None,
    )
    .unwrap();
    let links = run(&dataset, &dir.join("countries.tsv"), true);
    let expected: Vec<(&str, String)> = GEONAMES_EXPECTED
        .iter()
        .map(|(e, id)| (*e, format!("https://sws.geonames.org/{id}/")))
        .collect();
    let (precision, recall) = score("GeoNames", &links, &expected);
    // Pangyo is no GeoNames city (it lies in Seongnam-si): no forced link.
    for absent in ["Pangyo", "Yangjae", "Asia", "Southeast-Asia"] {
        assert!(
            !links.contains_key(absent),
            "{absent} must get no match, got {:?}",
            links.get(absent)
        );
    }
    assert_eq!(precision, 1.0);
    assert!(recall >= 0.95, "recall {recall}");
}

#[test]
fn the_bundled_links_pass_the_link_checks() {
    let quads = working_copy().read_quads().unwrap();
    let diagnostics = aikg::link::check::check(&quads);
    assert!(
        diagnostics.is_empty(),
        "{}",
        diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Every expected ROR id is in data/links (the linker's and the reviewed ones).
    let stated: std::collections::HashSet<String> = quads
        .iter()
        .filter(|q| q.quad.predicate.as_str() == "http://www.w3.org/2002/07/owl#sameAs")
        .map(|q| format!("{} {}", q.quad.subject, q.quad.object))
        .collect();
    for (e, id) in ROR_EXPECTED {
        assert!(
            stated.contains(&format!(
                "<https://w3id.org/aikg/id/{e}> <https://ror.org/{id}>"
            )),
            "data/links lacks {e} -> {id}"
        );
    }
    for (e, id) in GEONAMES_EXPECTED {
        assert!(
            stated.contains(&format!(
                "<https://w3id.org/aikg/id/{e}> <https://sws.geonames.org/{id}/>"
            )),
            "data/links lacks {e} -> {id}"
        );
    }
}
