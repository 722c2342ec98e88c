//! Content negotiation: the `Accept` header with its q-values (RFC 9110
//! §12.5.1), or a `format=` parameter, against what a route can answer.

use crate::query::OutputFormat;

/// One media range of an `Accept` header.
#[derive(Debug, Clone, PartialEq)]
struct MediaRange {
    main: String,
    sub: String,
    /// Quality in thousandths (q=0.5 is 500).
    quality: u16,
}

impl MediaRange {
    /// How specifically the range names `media_type` (2 exact, 1 `type/*`,
    /// 0 `*/*`), if it names it.
    fn specificity(&self, media_type: &str) -> Option<u8> {
        let (main, sub) = media_type.split_once('/')?;
        match (self.main.as_str(), self.sub.as_str()) {
            ("*", "*") => Some(0),
            (m, "*") if m.eq_ignore_ascii_case(main) => Some(1),
            (m, s) if m.eq_ignore_ascii_case(main) && s.eq_ignore_ascii_case(sub) => Some(2),
            _ => None,
        }
    }
}

fn parse_accept(header: &str) -> Vec<MediaRange> {
    header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let (main, sub) = pieces.next()?.trim().split_once('/')?;
            let mut quality = 1000;
            for parameter in pieces {
                if let Some((name, value)) = parameter.split_once('=') {
                    if name.trim().eq_ignore_ascii_case("q") {
                        quality = parse_quality(value.trim())?;
                    }
                }
            }
            Some(MediaRange {
                main: main.trim().to_ascii_lowercase(),
                sub: sub.trim().to_ascii_lowercase(),
                quality,
            })
        })
        .collect()
}

/// `q` is 0 to 1 with at most three decimals; anything else drops the range.
fn parse_quality(value: &str) -> Option<u16> {
    let (int, frac) = value.split_once('.').unwrap_or((value, ""));
    if frac.len() > 3 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let thousandths: u16 = format!("{frac:0<3}").parse().ok()?;
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// Picks among `offers` (media type, value), listed in the server's order of
/// preference, the one the `Accept` header prefers: for each offer the most
/// specific range that names it gives its quality; the highest quality wins,
/// then the range the client listed first, then the server's order. No header
/// means the first offer; `None` means nothing acceptable (406).
pub fn choose<T: Copy>(
    accept: Option<&str>,
    offers: &[(&'static str, T)],
) -> Option<(&'static str, T)> {
    let ranges = match accept.map(str::trim) {
        None | Some("") => return offers.first().copied(),
        Some(header) => parse_accept(header),
    };
    if ranges.is_empty() {
        return offers.first().copied();
    }
    offers
        .iter()
        .enumerate()
        .filter_map(|(server_rank, &(media_type, value))| {
            let (position, range) = ranges
                .iter()
                .enumerate()
                .filter_map(|(i, r)| r.specificity(media_type).map(|s| (s, i, r)))
                .max_by_key(|(specificity, i, _)| (*specificity, std::cmp::Reverse(*i)))
                .map(|(_, i, r)| (i, r))?;
            (range.quality > 0).then_some((range.quality, position, server_rank, media_type, value))
        })
        .min_by_key(|(quality, position, server_rank, _, _)| {
            (std::cmp::Reverse(*quality), *position, *server_rank)
        })
        .map(|(_, _, _, media_type, value)| (media_type, value))
}

/// What SELECT and ASK results can be sent as, preferred first.
pub const RESULT_TYPES: &[(&str, OutputFormat)] = &[
    ("application/sparql-results+json", OutputFormat::Json),
    ("application/sparql-results+xml", OutputFormat::Xml),
    ("text/csv", OutputFormat::Csv),
    ("text/tab-separated-values", OutputFormat::Tsv),
    ("application/json", OutputFormat::Json),
    ("application/xml", OutputFormat::Xml),
    ("text/xml", OutputFormat::Xml),
];

/// What graphs (CONSTRUCT, DESCRIBE, the Graph Store) can be sent as.
pub const GRAPH_TYPES: &[(&str, OutputFormat)] = &[
    ("text/turtle", OutputFormat::Turtle),
    ("application/n-triples", OutputFormat::NTriples),
    ("application/ld+json", OutputFormat::JsonLd),
    ("application/rdf+xml", OutputFormat::RdfXml),
    ("application/trig", OutputFormat::TriG),
    ("application/n-quads", OutputFormat::NQuads),
    ("application/x-turtle", OutputFormat::Turtle),
    ("text/plain", OutputFormat::NTriples),
];

/// The media type a format is sent with (with its charset for text types).
pub fn content_type(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Json => "application/sparql-results+json",
        OutputFormat::Xml => "application/sparql-results+xml",
        OutputFormat::Csv => "text/csv; charset=utf-8",
        OutputFormat::Tsv | OutputFormat::Table => "text/tab-separated-values; charset=utf-8",
        OutputFormat::Turtle => "text/turtle; charset=utf-8",
        OutputFormat::NTriples => "application/n-triples",
        OutputFormat::JsonLd => "application/ld+json",
        OutputFormat::RdfXml => "application/rdf+xml",
        OutputFormat::TriG => "application/trig",
        OutputFormat::NQuads => "application/n-quads",
    }
}

/// Why no format could be chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `format=` names no format (400).
    UnknownFormat(String),
    /// Nothing acceptable for this kind of answer (406); the offers.
    NotAcceptable(Vec<&'static str>),
}

/// The format of an answer: the `format=` parameter (a name such as `json`,
/// `csv`, `ttl`, or a media type) if given, else the `Accept` header.
pub fn negotiate(
    format_parameter: Option<&str>,
    accept: Option<&str>,
    offers: &'static [(&'static str, OutputFormat)],
) -> Result<OutputFormat, Refusal> {
    let not_acceptable = || Refusal::NotAcceptable(offers.iter().map(|(t, _)| *t).collect());
    if let Some(name) = format_parameter {
        let format = OutputFormat::from_name(name)
            .filter(|f| *f != OutputFormat::Table)
            .or_else(|| {
                RESULT_TYPES
                    .iter()
                    .chain(GRAPH_TYPES)
                    .find(|(t, _)| t.eq_ignore_ascii_case(name.trim()))
                    .map(|(_, f)| *f)
            })
            .ok_or_else(|| Refusal::UnknownFormat(name.to_string()))?;
        return offers
            .iter()
            .any(|(_, f)| *f == format)
            .then_some(format)
            .ok_or_else(not_acceptable);
    }
    choose(accept, offers)
        .map(|(_, f)| f)
        .ok_or_else(not_acceptable)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFERS: &[(&str, char)] = &[
        ("application/json", 'j'),
        ("text/csv", 'c'),
        ("text/xml", 'x'),
    ];

    #[test]
    fn no_header_means_the_first_offer() {
        assert_eq!(choose(None, OFFERS), Some(("application/json", 'j')));
    }

    #[test]
    fn highest_quality_wins() {
        let accept = "application/json;q=0.5, text/csv;q=0.9, */*;q=0.1";
        assert_eq!(choose(Some(accept), OFFERS).unwrap().1, 'c');
    }

    #[test]
    fn the_most_specific_range_gives_the_quality() {
        // text/* would allow csv at 1, but text/csv itself says 0: refused.
        let accept = "text/*, text/csv;q=0";
        assert_eq!(choose(Some(accept), OFFERS).unwrap().1, 'x');
    }

    #[test]
    fn equal_quality_goes_to_the_range_listed_first() {
        assert_eq!(
            choose(Some("text/xml, application/json"), OFFERS)
                .unwrap()
                .1,
            'x'
        );
    }

    #[test]
    fn nothing_acceptable() {
        assert_eq!(choose(Some("image/png"), OFFERS), None);
        assert_eq!(choose(Some("application/json;q=0"), OFFERS), None);
    }

    #[test]
    fn malformed_qualities_drop_their_range() {
        assert_eq!(parse_quality("0.5"), Some(500));
        assert_eq!(parse_quality("1.000"), Some(1000));
        assert_eq!(parse_quality("1.5"), None);
        assert_eq!(parse_quality("0.1234"), None);
        assert_eq!(
            choose(Some("text/csv;q=2, text/xml"), OFFERS).unwrap().1,
            'x'
        );
        // Nothing readable in the header: as if there were none.
        assert_eq!(choose(Some("text/csv;q=2"), OFFERS).unwrap().1, 'j');
    }

    #[test]
    fn format_parameter_overrides_accept() {
        assert_eq!(
            negotiate(Some("csv"), Some("application/json"), RESULT_TYPES),
            Ok(OutputFormat::Csv)
        );
        assert_eq!(
            negotiate(Some("text/turtle"), None, GRAPH_TYPES),
            Ok(OutputFormat::Turtle)
        );
        assert!(matches!(
            negotiate(Some("ttl"), None, RESULT_TYPES),
            Err(Refusal::NotAcceptable(_))
        ));
        assert!(matches!(
            negotiate(Some("yaml"), None, RESULT_TYPES),
            Err(Refusal::UnknownFormat(_))
        ));
    }
}
