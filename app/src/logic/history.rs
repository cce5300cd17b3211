//! Finding complaints the tablet does not hold (finished before its device window): the query
//! sent to the server's register, and its answers marked by whether the tablet holds them.

use super::board_filter::encode;
use siteline_model::api::ComplaintSummary;
use siteline_model::ComplaintId;

/// The longest search text sent (the server matches it inside descriptions, places, numbers).
pub const MAX_QUERY_CHARS: usize = 100;
/// How many answers one search shows (newest first).
pub const RESULTS: u32 = 50;

/// Why a search text is not sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryError {
    Empty,
    TooLong,
}

/// The query string of `GET /api/v1/complaints` for `text` (trimmed): the newest [`RESULTS`]
/// complaints whose number, description or place contains it.
pub fn search_query(text: &str) -> Result<String, QueryError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(QueryError::Empty);
    }
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong);
    }
    Ok(format!("q={}&limit={RESULTS}", encode(text)))
}

/// The answers in the server's order, each with whether this tablet holds it already.
pub fn mark_held(
    found: Vec<ComplaintSummary>,
    held: impl Fn(&ComplaintId) -> bool,
) -> Vec<(ComplaintSummary, bool)> {
    found
        .into_iter()
        .map(|c| {
            let h = held(&c.id);
            (c, h)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use siteline_model::{Channel, Severity, Status, Timestamp};

    fn summary(n: u8) -> ComplaintSummary {
        ComplaintSummary {
            id: ComplaintId::new_v7(1_772_416_800_000, [n; 10]),
            number: format!("SL-2026-00000{n}"),
            provisional_number: format!("P-{n}"),
            status: Status::Closed,
            severity: Severity::Minor,
            category: "facility.water".into(),
            channel: Channel::Visit,
            location: "3栋 › B2".into(),
            description: "漏水".into(),
            created_by: "zhang".into(),
            created_at: Timestamp(1_772_416_800_000),
            received_at: Timestamp(1_772_416_800_000),
        }
    }

    #[test]
    fn a_search_is_the_trimmed_text_percent_encoded_and_bounded() {
        assert_eq!(
            search_query("  地下车库 漏水 "),
            Ok(format!(
                "q=%E5%9C%B0%E4%B8%8B%E8%BD%A6%E5%BA%93%20%E6%BC%8F%E6%B0%B4&limit={RESULTS}"
            ))
        );
        assert_eq!(
            search_query("SL-2026-000001"),
            Ok(format!("q=SL-2026-000001&limit={RESULTS}"))
        );
        assert_eq!(
            search_query("a&b=c"),
            Ok(format!("q=a%26b%3Dc&limit={RESULTS}"))
        );
        assert_eq!(search_query("   "), Err(QueryError::Empty));
        assert_eq!(
            search_query(&"漏".repeat(MAX_QUERY_CHARS)).map(|_| ()),
            Ok(())
        );
        assert_eq!(
            search_query(&"漏".repeat(MAX_QUERY_CHARS + 1)),
            Err(QueryError::TooLong)
        );
    }

    #[test]
    fn answers_keep_the_servers_order_and_say_which_the_tablet_holds() {
        let (a, b, c) = (summary(1), summary(2), summary(3));
        let held = b.id;
        let marked = mark_held(vec![a.clone(), b.clone(), c.clone()], |id| *id == held);
        assert_eq!(marked, vec![(a, false), (b, true), (c, false)]);
    }
}
