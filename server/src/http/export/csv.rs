//! RFC 4180 CSV lines: fields quoted when they hold a comma, quote or line break; CRLF ends a
//! record; the file starts with a UTF-8 BOM so Excel reads Chinese.

/// The byte order mark a CSV file starts with.
pub const BOM: &str = "\u{feff}";

/// One field as CSV. Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first)
/// is prefixed with `'` (typed text is data, never a formula).
pub fn field(s: &str) -> String {
    let s = match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if s.parse::<f64>().is_err() => format!("'{s}"),
        _ => s.to_string(),
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Appends one record.
pub fn record<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    let line: Vec<String> = fields.iter().map(|f| field(f.as_ref())).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_rfc_4180_and_formulas_stay_text() {
        assert_eq!(field("漏水"), "漏水");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-3"), "-3", "a negative number is a number");
        let mut out = String::new();
        record(&mut out, &["a", "b,c"]);
        assert_eq!(out, "a,\"b,c\"\r\n");
    }
}
