//! Checks of the tallies against a model: every event sorted by (time, id), the first kept.

use super::*;

const K: (usize, usize, usize) = (0, 0, 0);

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// The shape of a plan of one rule with one period and one subject.
fn one() -> Arc<Shape> {
    let mut set = FixedBitSet::with_capacity(1);
    set.insert(0);
    Arc::new(Shape::new(1, 1, Some(&set)))
}

fn ids(tallies: &Tallies) -> Vec<String> {
    tallies.counted(&K).map(|c| c.ids).unwrap_or_default()
}

fn kept_len(tallies: &Tallies) -> usize {
    tallies
        .tables
        .get()
        .and_then(|t| t.first()?.get())
        .map_or(0, |t| t.pages.iter().map(|p| lock(p).ids.kept_len()).sum())
}

#[test]
fn ranks_count_the_members_before() {
    let mut set = FixedBitSet::with_capacity(300);
    for p in [3, 64, 65, 200, 299] {
        set.insert(p);
    }
    let ranks = Ranks::new(&set);
    let got: Vec<Option<usize>> = [0, 3, 64, 65, 66, 200, 299, 300, 5000]
        .iter()
        .map(|&p| ranks.rank(p))
        .collect();
    assert_eq!(
        got,
        [
            None,
            Some(0),
            Some(1),
            Some(2),
            None,
            Some(3),
            Some(4),
            None,
            None
        ]
    );
    assert_eq!(ranks.len, 5);
    let shape = Shape::new(1, 3, Some(&set));
    assert_eq!(
        (shape.slot(64, 2), shape.slot(64, 3), shape.slots()),
        (Some(5), None, 15)
    );
}

#[test]
fn keeps_the_earliest_whatever_the_order() {
    let shape = one();
    let mut a = Tallies::default();
    a.add(&shape, K, t("2023-01-03T00:00:00Z"), "c", 2);
    a.add(&shape, K, t("2023-01-01T00:00:00Z"), "b", 2);
    a.add(&shape, K, t("2023-01-01T00:00:00Z"), "a", 2);
    assert_eq!(ids(&a), ["a", "b"]);
    let counted = a.counted(&K).unwrap();
    assert_eq!((counted.count, counted.truncated), (3, 1));
    let mut b = Tallies::default();
    b.add(&shape, K, t("2023-01-01T00:00:00Z"), "a", 2);
    let mut c = Tallies::default();
    c.add(&shape, K, t("2023-01-03T00:00:00Z"), "c", 2);
    c.add(&shape, K, t("2023-01-01T00:00:00Z"), "b", 2);
    b.merge(c);
    assert_eq!(a.counted(&K), b.counted(&K));
}

#[test]
fn small_limits_keep_the_earliest() {
    let shape = one();
    for limit in 1..6 {
        let mut a = Tallies::default();
        for i in (0..9).rev() {
            a.add(
                &shape,
                K,
                t("2023-01-01T00:00:00Z"),
                &format!("e{i}"),
                limit,
            );
        }
        let expected: Vec<String> = (0..limit).map(|i| format!("e{i}")).collect();
        assert_eq!(ids(&a), expected);
    }
}

proptest::proptest! {
    /// Against a reference: sort every event by (time, id) and keep the first `limit`,
    /// whether the events come in one tally or split between two merged ones, with ids
    /// numbered several ways (more than a page keeps as numbers), UUIDs, short ids of the
    /// URL-safe alphabet, or other texts. Ids kept whole, as UUIDs or as numbers of that
    /// alphabet and no longer kept are let go.
    #[test]
    fn keeps_what_sorting_everything_keeps(
        events in proptest::collection::vec(
            (0_i64..20, 0_u32..40, 0_u8..8, 0_u8..8),
            0..80,
        ),
        limit in 0_usize..8,
        split in 0_usize..80,
    ) {
        let shape = one();
        // Mostly whole seconds after 1970, as logs have them; also times kept apart
        // (with a fraction of a second, before 1970, after 2106), mixed in the same minutes.
        let at = |minute: i64, odd: u8| {
            let secs = minute * 60 + 1_700_000_000;
            match odd {
                4 => DateTime::from_timestamp(secs, 500_000_000),
                5 => DateTime::from_timestamp(secs - 1, 999_999_999),
                6 => DateTime::from_timestamp(minute * 60 - 600, 0),
                7 => DateTime::from_timestamp(minute * 60 + (1 << 32) - 600, 0),
                _ => DateTime::from_timestamp(secs, 0),
            }
            .unwrap()
        };
        let id = |n: u32, style: u8| match style {
            0 => format!("e{n:02}"),
            1 => format!("{n}"),
            2 => format!("x{n:03}"),
            3 => format!("e{n}"),
            4 => format!("{:08x}-0000-4000-8000-{:012x}", n % 3, n),
            5 => format!("e{n:02}-not-numbered"),
            6 => format!("e{n:02}.kept-as-text"),
            _ => format!("e{n:02}-longer-than-twenty-one"),
        };
        let ids_in: Vec<(DateTime<Utc>, String)> = events
            .iter()
            .map(|&(m, n, style, odd)| (at(m, odd), id(n, style)))
            .collect();
        let mut expected = ids_in.clone();
        expected.sort();
        let expected: Vec<String> = expected.into_iter().take(limit).map(|(_, id)| id).collect();
        let mut one = Tallies::default();
        for (t, id) in &ids_in {
            one.add(&shape, K, *t, id, limit);
        }
        proptest::prop_assert_eq!(ids(&one), expected.clone());
        proptest::prop_assert!(kept_len(&one) <= limit);
        let (left, right) = ids_in.split_at(split.min(ids_in.len()));
        let mut a = Tallies::default();
        let mut b = Tallies::default();
        for (t, id) in left {
            a.add(&shape, K, *t, id, limit);
        }
        for (t, id) in right {
            b.add(&shape, K, *t, id, limit);
        }
        a.merge(b);
        proptest::prop_assert_eq!(ids(&a), expected);
        proptest::prop_assert!(kept_len(&a) <= limit);
        for (t, id) in &ids_in {
            one.add(&shape, K, *t, id, limit);
            a.add_shared(&shape, K, *t, id, limit);
        }
        proptest::prop_assert_eq!(one.counted(&K), a.counted(&K));
    }
}

proptest::proptest! {
    /// Many tallies in one page, their lists growing, moving and compacted in one slab
    /// (and several pages): each keeps what sorting its own events keeps, merged or not.
    #[test]
    fn tallies_of_a_page_keep_their_own(
        events in proptest::collection::vec((0_usize..300, 0_i64..30, 0_u32..2000), 0..1500),
        limit in 1_usize..24,
        split in 0_usize..1500,
        spread in 1_usize..300,
    ) {
        let mut set = FixedBitSet::with_capacity(600);
        for p in (0..600).step_by(2) {
            set.insert(p);
        }
        let shape = Arc::new(Shape::new(2, 2, Some(&set)));
        let key = |s: usize, m: i64| (1, 2 * (s % spread), usize::from(m % 2 == 0));
        let at = |m: i64| DateTime::from_timestamp(1_700_000_000 + m * 60, 0).unwrap();
        let mut expected: std::collections::BTreeMap<Key, Vec<(DateTime<Utc>, String)>> =
            std::collections::BTreeMap::new();
        let (mut one, mut a, mut b) = (Tallies::default(), Tallies::default(), Tallies::default());
        for (i, &(s, m, n)) in events.iter().enumerate() {
            let id = format!("e{n}");
            expected.entry(key(s, m)).or_default().push((at(m), id.clone()));
            one.add(&shape, key(s, m), at(m), &id, limit);
            let half = if i < split { &mut a } else { &mut b };
            half.add(&shape, key(s, m), at(m), &id, limit);
        }
        a.merge(b);
        for (k, mut events) in expected {
            let count = events.len() as u64;
            events.sort();
            let ids: Vec<String> = events.into_iter().take(limit).map(|(_, id)| id).collect();
            let want = Counted { count, truncated: count - ids.len() as u64, ids };
            proptest::prop_assert_eq!(one.counted(&k), Some(want.clone()));
            proptest::prop_assert_eq!(a.counted(&k), Some(want));
        }
        proptest::prop_assert_eq!(one.counted(&(1, 1, 0)), None);
        proptest::prop_assert_eq!(one.counted(&(0, 0, 0)), None);
    }
}

#[test]
fn zero_limit_keeps_only_the_count() {
    let shape = one();
    let mut a = Tallies::default();
    a.add(&shape, K, t("2023-01-03T00:00:00Z"), "c", 0);
    let counted = a.counted(&K).unwrap();
    assert_eq!(
        (counted.count, counted.ids.len(), counted.truncated),
        (1, 0, 1)
    );
}
