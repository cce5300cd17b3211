//! The first-run setup's rules (plain Rust): the places typed one per line (`1栋 › 3F › 电梯厅`,
//! `>` accepted for `›`), and a first user's form checked before it is sent.

use siteline_model::api::LocationInput;

/// The places of a site typed one per line; levels split on `›` or `>`, blank lines skipped.
pub fn places(text: &str) -> Vec<LocationInput> {
    text.lines()
        .map(|l| {
            l.split(['›', '>'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" › ")
        })
        .filter(|l| !l.is_empty())
        .map(LocationInput::Label)
        .collect()
}

/// How many places (every level counted once) the lines make, as the server counts them.
pub fn place_count(text: &str) -> usize {
    let mut seen = std::collections::BTreeSet::new();
    for p in places(text) {
        if let LocationInput::Label(l) = p {
            let parts: Vec<&str> = l.split(" › ").collect();
            for depth in 1..=parts.len() {
                seen.insert(parts[..depth].join(" › "));
            }
        }
    }
    seen.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_place_per_line_with_either_separator() {
        let got = places("1栋 › 大堂\n\n 1栋>B2 停车场 \n2栋\n  >  \n");
        let labels: Vec<String> = got
            .into_iter()
            .map(|p| match p {
                LocationInput::Label(l) => l,
                LocationInput::Node { name, .. } => name,
            })
            .collect();
        assert_eq!(labels, ["1栋 › 大堂", "1栋 › B2 停车场", "2栋"]);
        assert_eq!(place_count("1栋 › 大堂\n1栋 > B2 停车场\n2栋"), 4);
        assert_eq!(place_count(""), 0);
    }
}
