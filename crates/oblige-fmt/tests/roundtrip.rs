//! Round-trip properties over random syntax trees.
//!
//! `chinese_keyword_files_are_unambiguous` is the project's evidence that a file written with
//! Chinese keywords — no spaces inside names, names that contain keywords — reads back as exactly
//! the tree it was printed from. The others check the same for English, that converting between
//! the two languages loses nothing, and that the formatter is idempotent.

mod arb;

use oblige_fmt::{format_source, format_unit, same_meaning, Lang};
use oblige_syntax::ast::SourceUnit;
use oblige_syntax::{parse, FileId};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

/// Prints `unit` in `lang` and parses it back, failing on any diagnostic or change of meaning.
fn round_trip(unit: &SourceUnit, lang: Lang) -> Result<(String, SourceUnit), TestCaseError> {
    let text = format_unit(unit, "", lang);
    let parsed = parse(FileId(0), &text);
    prop_assert!(
        parsed.diagnostics.is_empty(),
        "printed {lang:?} text does not parse:\n{text}\n{:#?}",
        parsed.diagnostics
    );
    prop_assert!(
        same_meaning(unit, &parsed.unit),
        "printed {lang:?} text means something else:\n{text}\n{:#?}",
        parsed.unit
    );
    Ok((text, parsed.unit))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn chinese_keyword_files_are_unambiguous(unit in arb::source_unit()) {
        round_trip(&unit, Lang::Zh)?;
    }

    #[test]
    fn english_keyword_files_round_trip(unit in arb::source_unit()) {
        round_trip(&unit, Lang::En)?;
    }

    #[test]
    fn zh_to_en_to_zh_gives_identical_text(unit in arb::source_unit()) {
        let (zh, _) = round_trip(&unit, Lang::Zh)?;
        let en = format_source(FileId(0), &zh, Some(Lang::En));
        prop_assert!(en.is_ok(), "zh text refused: {en:?}");
        let en = en.unwrap_or_default();
        let back = format_source(FileId(0), &en, Some(Lang::Zh));
        prop_assert_eq!(Ok(zh), back, "via en:\n{}", en);
    }

    #[test]
    fn format_is_idempotent(unit in arb::source_unit()) {
        for lang in [Lang::Zh, Lang::En] {
            let (once, _) = round_trip(&unit, lang)?;
            let twice = format_source(FileId(0), &once, None);
            prop_assert_eq!(Ok(once), twice);
        }
    }
}
