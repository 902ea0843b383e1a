//! "Did you mean" suggestions for misspelled names.

/// The candidate closest to `name`, if it is close enough to be a plausible typo.
///
/// Closeness is measured in characters (Jaro–Winkler for Latin names, edit distance for short
/// names), so a one-character slip in a Chinese name is found as readily as in an English one.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let len = name.chars().count();
    let max_edits = match len {
        0 => return None,
        1..=2 => 1,
        3..=5 => 2,
        _ => 3,
    };
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|(d, c)| *d <= max_edits && *d < c.chars().count().max(2))
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn finds_close_names_in_any_script() {
        assert_eq!(
            did_you_mean("meetng", ["meeting", "drill"]),
            Some("meeting")
        );
        assert_eq!(
            did_you_mean("领导小组会", ["领导小组会议", "演练"]),
            Some("领导小组会议")
        );
        assert_eq!(did_you_mean("xyz", ["meeting", "drill"]), None);
    }
}
