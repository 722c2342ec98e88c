//! XSD lexical checks the fuzz targets share.

/// XSD 1.1's decimal lexical space, `(\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+)`
/// (oxsdatatypes' Decimal refuses more digits than its precision holds,
/// which the lexical space does not).
pub fn is_decimal(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole)
        && fraction.is_none_or(all_digits)
        && (!whole.is_empty() || fraction.is_some_and(|f| !f.is_empty()))
}
