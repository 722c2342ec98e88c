//! French and English: the language of a request (`?lang=`, then the `lang`
//! cookie the switch sets, then `Accept-Language`), and every text of the
//! interface in both.

use oxhttp::model::header::{ACCEPT_LANGUAGE, COOKIE};
use oxhttp::model::{Body, Request};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        let primary = code.split(['-', '_']).next()?.trim();
        if primary.eq_ignore_ascii_case("fr") {
            Some(Lang::Fr)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language the switch offers.
    pub fn other(self) -> Self {
        match self {
            Lang::En => Lang::Fr,
            Lang::Fr => Lang::En,
        }
    }

    pub fn text(self) -> &'static Text {
        match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
        }
    }
}

/// `?lang=`, else the `lang` cookie, else the first of English and French in
/// `Accept-Language` by its q-values, else English.
pub fn negotiate(request: &Request<Body>, pairs: &[(String, String)]) -> Lang {
    if let Some(lang) = pairs
        .iter()
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Lang::from_code(v))
    {
        return lang;
    }
    let header = |name, separator| {
        request
            .headers()
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(separator)
    };
    if let Some(lang) = header(COOKIE, ";")
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == "lang")
        .and_then(|(_, v)| Lang::from_code(v))
    {
        return lang;
    }
    from_accept_language(&header(ACCEPT_LANGUAGE, ",")).unwrap_or(Lang::En)
}

/// The language `Accept-Language` prefers among English and French (RFC
/// 9110 §12.5.4): highest q first, then the order listed.
pub fn from_accept_language(header: &str) -> Option<Lang> {
    header
        .split(',')
        .enumerate()
        .filter_map(|(position, part)| {
            let mut pieces = part.split(';');
            let lang = Lang::from_code(pieces.next()?)?;
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (q > 0.0).then_some((q, position, lang))
        })
        .min_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)))
        .map(|(_, _, lang)| lang)
}

/// Every text of the interface.
pub struct Text {
    pub site: &'static str,
    /// Between a name and what follows (French puts a space before).
    pub colon: &'static str,
    pub skip: &'static str,
    pub home: &'static str,
    pub query: &'static str,
    pub explorer: &'static str,
    pub sources: &'static str,
    pub switch: &'static str,
    pub search_label: &'static str,
    pub search_button: &'static str,
    pub search_hint: &'static str,
    pub results_for: &'static str,
    pub no_results: &'static str,
    pub classes: &'static str,
    pub named_queries: &'static str,
    pub documents: &'static str,
    pub members: &'static str,
    pub intro: &'static str,
    pub also_called: &'static str,
    pub class: &'static str,
    pub identifiers: &'static str,
    pub neighbourhood: &'static str,
    pub neighbourhood_alt: &'static str,
    pub facts: &'static str,
    pub passage: &'static str,
    pub section: &'static str,
    pub doubt: &'static str,
    pub reading: &'static str,
    pub reading_from: &'static str,
    pub unsourced: &'static str,
    pub subject: &'static str,
    pub predicate: &'static str,
    pub object: &'static str,
    pub as_data: &'static str,
    pub not_found: &'static str,
    pub not_found_hint: &'static str,
    pub run: &'static str,
    pub editor: &'static str,
    pub prefixes: &'static str,
    pub parameters: &'static str,
    pub optional: &'static str,
    pub results: &'static str,
    pub rows: &'static str,
    pub download: &'static str,
    pub error: &'static str,
    pub start_from: &'static str,
    pub passage_facts: &'static str,
    pub in_document: &'static str,
    pub not_placed: &'static str,
    pub overlapping: &'static str,
    pub to_facts: &'static str,
    pub focus: &'static str,
    pub depth: &'static str,
    pub through_hubs: &'static str,
    pub relations: &'static str,
    pub too_many: &'static str,
    pub classes_field: &'static str,
    pub draw: &'static str,
    pub expand_hint: &'static str,
    pub no_documents: &'static str,
    pub inferred: &'static str,
    pub inferred_intro: &'static str,
    pub inferred_mark: &'static str,
    pub because: &'static str,
    pub the_ontology: &'static str,
    pub default_graph: &'static str,
    pub quoted_above: &'static str,
    pub proof_there: &'static str,
}

pub static EN: Text = Text {
    site: "AI ecosystems knowledge graph",
    colon: ": ",
    skip: "Skip to the content",
    home: "Home",
    query: "Query",
    explorer: "Graph explorer",
    sources: "Sources",
    switch: "Français",
    search_label: "Search an organisation, a programme, a place…",
    search_button: "Search",
    search_hint: "Names and acronyms; accents and case do not matter.",
    results_for: "Results for",
    no_results: "Nothing in the graph has this name.",
    classes: "Browse by kind",
    named_queries: "Ready-made questions",
    documents: "Source documents",
    members: "Members of",
    intro: "National AI ecosystems of South Korea, Vietnam and France: every fact traced to the sentence that states it.",
    also_called: "Also called",
    class: "Kind",
    identifiers: "Elsewhere",
    neighbourhood: "Neighbourhood",
    neighbourhood_alt: "Drawing of the entities directly tied to",
    facts: "Facts, by the passage that states them",
    passage: "Passage",
    section: "section",
    doubt: "Editor's doubt",
    reading: "The editor's reading, not the text's words",
    reading_from: "read from",
    unsourced: "Stated by no passage (links, ontology)",
    subject: "Subject",
    predicate: "Relation",
    object: "Object",
    as_data: "This page as data",
    not_found: "Not in the graph",
    not_found_hint: "Search for it by name from the home page.",
    run: "Run",
    editor: "SPARQL query",
    prefixes: "Predeclared prefixes",
    parameters: "Parameters",
    optional: "optional",
    results: "Results",
    rows: "rows",
    download: "Download",
    error: "The query has an error",
    start_from: "Start from a ready-made question",
    passage_facts: "Facts this passage states",
    in_document: "In",
    not_placed: "Passages not found word for word in the text",
    overlapping: "Passages inside or across a passage marked above",
    to_facts: "facts",
    focus: "Focus on",
    depth: "Depth",
    through_hubs: "Walk through hubs (countries, topics)",
    relations: "Relations (comma-separated, empty for all)",
    too_many: "{n} entities are tied to it: too many to draw legibly here. Draw them by class or relation in the",
    classes_field: "Classes (comma-separated, empty for all)",
    draw: "Draw",
    expand_hint: "Click a node to open its neighbours.",
    no_documents: "The document texts are not available on this server (start it with --documents DIR).",
    inferred: "Inferred by the ontology",
    inferred_intro: "No passage states these facts: the ontology implies them (reasoning {rules}). Open one for its reason: the rule, and the facts it rests on, down to the passages that state them.",
    inferred_mark: "inferred",
    because: "Because",
    the_ontology: "the ontology",
    default_graph: "the default graph (no passage)",
    quoted_above: "quoted above",
    proof_there: "why, on its page",
};

pub static FR: Text = Text {
    site: "Graphe de connaissances des écosystèmes de l’IA",
    colon: "\u{a0}: ",
    skip: "Aller au contenu",
    home: "Accueil",
    query: "Requête",
    explorer: "Explorateur du graphe",
    sources: "Sources",
    switch: "English",
    search_label: "Chercher une organisation, un programme, un lieu…",
    search_button: "Chercher",
    search_hint: "Noms et sigles ; les accents et la casse sont ignorés.",
    results_for: "Résultats pour",
    no_results: "Rien dans le graphe ne porte ce nom.",
    classes: "Parcourir par type",
    named_queries: "Questions toutes prêtes",
    documents: "Documents sources",
    members: "Membres de",
    intro: "Les écosystèmes nationaux de l’IA en Corée du Sud, au Vietnam et en France : chaque fait relié à la phrase qui l’énonce.",
    also_called: "Aussi appelé",
    class: "Type",
    identifiers: "Ailleurs",
    neighbourhood: "Voisinage",
    neighbourhood_alt: "Dessin des entités directement liées à",
    facts: "Les faits, par passage qui les énonce",
    passage: "Passage",
    section: "section",
    doubt: "Doute de l’éditeur",
    reading: "Lecture de l’éditeur, pas les mots du texte",
    reading_from: "lu dans",
    unsourced: "Énoncés par aucun passage (liens, ontologie)",
    subject: "Sujet",
    predicate: "Relation",
    object: "Objet",
    as_data: "Cette page en données",
    not_found: "Absent du graphe",
    not_found_hint: "Cherchez-le par son nom depuis l’accueil.",
    run: "Exécuter",
    editor: "Requête SPARQL",
    prefixes: "Préfixes prédéclarés",
    parameters: "Paramètres",
    optional: "facultatif",
    results: "Résultats",
    rows: "lignes",
    download: "Télécharger",
    error: "La requête contient une erreur",
    start_from: "Partir d’une question toute prête",
    passage_facts: "Faits énoncés par ce passage",
    in_document: "Dans",
    not_placed: "Passages non retrouvés mot pour mot dans le texte",
    overlapping: "Passages contenus dans un passage marqué plus haut, ou le chevauchant",
    to_facts: "faits",
    focus: "Centrer sur",
    depth: "Profondeur",
    through_hubs: "Traverser les carrefours (pays, thèmes)",
    relations: "Relations (séparées par des virgules, vide pour toutes)",
    too_many: "{n} entités y sont liées : trop pour un dessin lisible ici. Dessinez-les par classe ou par relation dans l’",
    classes_field: "Classes (séparées par des virgules, vide pour toutes)",
    draw: "Dessiner",
    expand_hint: "Cliquez un nœud pour ouvrir ses voisins.",
    no_documents: "Les textes des documents ne sont pas disponibles sur ce serveur (lancez-le avec --documents DIR).",
    inferred: "Déduits par l’ontologie",
    inferred_intro: "Aucun passage n’énonce ces faits\u{a0}: l’ontologie les implique (raisonnement {rules}). Ouvrez-en un pour sa raison\u{a0}: la règle, et les faits sur lesquels il repose, jusqu’aux passages qui les énoncent.",
    inferred_mark: "déduit",
    because: "Car",
    the_ontology: "l’ontologie",
    default_graph: "le graphe par défaut (aucun passage)",
    quoted_above: "cité plus haut",
    proof_there: "pourquoi, sur sa page",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_follows_q_values_then_order() {
        assert_eq!(
            from_accept_language("fr-FR,fr;q=0.9,en;q=0.8"),
            Some(Lang::Fr)
        );
        assert_eq!(
            from_accept_language("de, en;q=0.5, fr;q=0.7"),
            Some(Lang::Fr)
        );
        assert_eq!(from_accept_language("en-GB, fr"), Some(Lang::En));
        assert_eq!(from_accept_language("fr;q=0, de"), None);
        assert_eq!(from_accept_language(""), None);
    }
}
