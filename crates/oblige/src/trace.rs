//! Traceability of a plan to its source document: for every article, the rules that cite it and
//! the duties that no event log can show, with the reason.
//!
//! The rules come from the plan as the parser reads it (their `article` / `条款` lines). The duties
//! that cannot be checked, and the defects of the source text, are comment lines of the rule files
//! written by a convention (documented in `docs/language.md`, "Duties that cannot be checked"):
//!
//! ```text
//! // 不可检查 第3条: "quoted duty" — reason
//! // not checkable article 3: "quoted duty" — reason
//! // 来源缺陷: what the source text shows, continued on the following comment lines
//! // source defect: …
//! ```
//!
//! The source is a plain text whose articles start lines as `3.title。text…`; the title is read up
//! to the first full stop. Every rule's quote and every quoted duty is looked up in the text of its
//! article, so that a quote edited away from the source shows up.

use oblige_diagnostics::has_errors;
use oblige_syntax::ast::{Comment, Item, Meta, Rule, RuleBody, SubjectMode};
use oblige_syntax::{normalize, Loaded, SourceMap};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Why a traceability table could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    /// The plan does not parse or load; `rendered` holds every diagnostic in rustc style.
    #[error("the plan `{}` has errors:\n{rendered}", path.display())]
    Plan {
        /// The plan as given.
        path: PathBuf,
        /// The rendered diagnostics.
        rendered: String,
    },
    /// The source text cannot be read.
    #[error("cannot read the source `{}`: {error}", path.display())]
    Source {
        /// The source as given.
        path: PathBuf,
        /// What went wrong.
        error: std::io::Error,
    },
    /// The source text has no line that starts an article.
    #[error(
        "the source `{}` has no numbered articles (lines starting `1.` followed by the title)",
        path.display()
    )]
    NoArticles {
        /// The source as given.
        path: PathBuf,
    },
    /// A comment line starts like a not-checkable entry but does not follow the convention; it
    /// is an error rather than skipped, so that no duty silently drops out of the table.
    #[error(
        "{file}:{line}: malformed not-checkable line `{text}`: write `// 不可检查 第N条: \"quoted duty\" — reason`"
    )]
    Malformed {
        /// The rule file, as the loader names it.
        file: String,
        /// Line, from 1.
        line: usize,
        /// The comment line.
        text: String,
    },
}

/// The traceability of a plan: every article of the source, what encodes it and what cannot be
/// checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Traceability {
    /// The plan's title (from its `plan` header), or the folder name.
    pub title: String,
    /// The command that makes this table, with the paths as given.
    pub command: String,
    /// Every article, from 1 to the highest number in the source or cited by a rule.
    pub articles: Vec<ArticleTrace>,
    /// Defects of the source text noted in the rule files, in file order.
    pub defects: Vec<Noted>,
    /// Quotes (of rules or of not-checkable duties) not found in the text of their articles.
    pub quotes_not_found: Vec<QuoteNotFound>,
}

/// One article of the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleTrace {
    /// Its number.
    pub number: u64,
    /// Its title in the source; `None` when the source has no such article.
    pub title: Option<String>,
    /// The rules citing it, in file order.
    pub rules: Vec<TracedRule>,
    /// Its duties that no event log can show.
    pub not_checkable: Vec<NotCheckable>,
}

impl ArticleTrace {
    /// Neither a rule nor a reason: a gap in the encoding.
    pub fn is_untraced(&self) -> bool {
        self.rules.is_empty() && self.not_checkable.is_empty()
    }
}

/// A rule citing an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TracedRule {
    /// Rule id.
    pub id: String,
    /// Rule title (empty if it has none).
    pub title: String,
    /// The duty form, in words ("periodic count", "escalation ladder", …).
    pub form: &'static str,
    /// The rule file, relative to the plan folder.
    pub file: String,
}

/// A duty that cannot be checked against an event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotCheckable {
    /// The duty, quoted from the article.
    pub duty: String,
    /// Why no event log can show it.
    pub reason: String,
    /// The rule file the line is in, relative to the plan folder.
    pub file: String,
}

/// A note on the source text, from a rule file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Noted {
    /// The note, its comment lines joined.
    pub text: String,
    /// The rule file, relative to the plan folder.
    pub file: String,
}

/// A quote that the text of its article does not contain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuoteNotFound {
    /// The rule id, or `None` for a not-checkable duty.
    pub rule: Option<String>,
    /// The articles searched.
    pub articles: Vec<u64>,
    /// The quote.
    pub quote: String,
    /// The rule file, relative to the plan folder.
    pub file: String,
}

/// The traceability table of the plan at `plan_dir` against the source text `source`, as
/// Markdown. Paths are shown in the table as given.
pub fn traceability_markdown(plan_dir: &Path, source: &Path) -> Result<String, TraceError> {
    Ok(trace(plan_dir, source)?.to_markdown())
}

/// The traceability of the plan at `plan_dir` against the source text `source`.
pub fn trace(plan_dir: &Path, source: &Path) -> Result<Traceability, TraceError> {
    trace_in(Path::new(""), plan_dir, source)
}

/// Like [`trace`], with `plan_dir` and `source` relative to the folder `base`: the table shows
/// them as written, whatever the current folder (a test of a repository's own table uses this).
pub fn trace_in(base: &Path, plan_dir: &Path, source: &Path) -> Result<Traceability, TraceError> {
    let plan_path = base.join(plan_dir);
    let loaded = oblige_syntax::load(&plan_path);
    if has_errors(&loaded.diagnostics) {
        return Err(TraceError::Plan {
            path: plan_dir.to_path_buf(),
            rendered: loaded
                .diagnostics
                .iter()
                .map(|d| oblige_diagnostics::render_human(&loaded.sources, d))
                .collect::<Vec<_>>()
                .join("\n"),
        });
    }
    let text = std::fs::read_to_string(base.join(source)).map_err(|error| TraceError::Source {
        path: source.to_path_buf(),
        error,
    })?;
    let source_articles = articles_of(&text);
    if source_articles.is_empty() {
        return Err(TraceError::NoArticles {
            path: source.to_path_buf(),
        });
    }
    let collected = collect(&loaded, &normalize(&plan_path))?;

    let numbers = || {
        source_articles
            .keys()
            .chain(collected.rules.keys())
            .chain(collected.unchecked.keys())
            .copied()
    };
    // Articles start at 1; a rule citing article 0 still gets a line rather than vanishing.
    let min = numbers().min().unwrap_or(1).min(1);
    let max = numbers().max().unwrap_or(0);
    let mut quotes_not_found = Vec::new();
    for quote in collected.quotes {
        let wanted = squeeze(&quote.text);
        let found = quote.articles.iter().any(|n| {
            source_articles
                .get(n)
                .is_some_and(|a| squeeze(&a.text).contains(&wanted))
        });
        if !found {
            quotes_not_found.push(QuoteNotFound {
                rule: quote.rule,
                articles: quote.articles,
                quote: quote.text,
                file: quote.file,
            });
        }
    }
    let mut rules = collected.rules;
    let mut unchecked = collected.unchecked;
    let articles = (min..=max)
        .map(|n| ArticleTrace {
            number: n,
            title: source_articles.get(&n).map(|a| a.title.clone()),
            rules: rules.remove(&n).unwrap_or_default(),
            not_checkable: unchecked.remove(&n).unwrap_or_default(),
        })
        .collect();
    let title = collected.title.unwrap_or_else(|| {
        plan_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    Ok(Traceability {
        title,
        command: format!(
            "oblige trace {} --source {}",
            shown(plan_dir),
            shown(source)
        ),
        articles,
        defects: collected.defects,
        quotes_not_found,
    })
}

impl Traceability {
    /// Articles with neither a rule nor a reason.
    pub fn untraced(&self) -> impl Iterator<Item = &ArticleTrace> {
        self.articles.iter().filter(|a| a.is_untraced())
    }

    /// The table as Markdown: a summary by article, then one section per article.
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        // Writing to a String cannot fail; the results are discarded for that reason.
        let _ = self.write_markdown(&mut md);
        md
    }

    fn write_markdown(&self, md: &mut String) -> std::fmt::Result {
        writeln!(md, "# Traceability: {} → rules", self.title)?;
        writeln!(md)?;
        writeln!(
            md,
            "Generated by `{}` from the rule files of the plan and its source text. \
             Do not edit by hand.",
            self.command
        )?;
        writeln!(md)?;
        writeln!(
            md,
            "For every article: the rules that encode it (a rule citing several articles is listed \
             under each), then the duties of the article that no event log can show, with the reason \
             (from the `// 不可检查 第N条: \"…\" — reason` lines of the rule files)."
        )?;
        writeln!(md)?;
        if !self.defects.is_empty() {
            writeln!(
                md,
                "Defects of the source text noted in the rule files (`// 来源缺陷:` comments):"
            )?;
            writeln!(md)?;
            for d in &self.defects {
                writeln!(md, "- {} (`{}`)", d.text, d.file)?;
            }
            writeln!(md)?;
        }
        let untraced: Vec<String> = self.untraced().map(|a| a.number.to_string()).collect();
        if !untraced.is_empty() {
            writeln!(
                md,
                "**Not traced** (no rule cites the article and no comment says why it cannot be \
                 checked): {} {}.",
                if untraced.len() == 1 {
                    "article"
                } else {
                    "articles"
                },
                untraced.join(", ")
            )?;
            writeln!(md)?;
        }
        if !self.quotes_not_found.is_empty() {
            writeln!(
                md,
                "**Quotes not found** in the text of the article they cite:"
            )?;
            writeln!(md)?;
            for q in &self.quotes_not_found {
                let articles: Vec<String> = q.articles.iter().map(u64::to_string).collect();
                let who = q
                    .rule
                    .as_ref()
                    .map_or_else(|| "not checkable".to_owned(), |r| format!("`{r}`"));
                writeln!(
                    md,
                    "- {who}, article {}: “{}” (`{}`)",
                    articles.join(", "),
                    q.quote,
                    q.file
                )?;
            }
            writeln!(md)?;
        }
        writeln!(md, "| article | title | rules | not checkable |")?;
        writeln!(md, "|---:|---|---:|---:|")?;
        for a in &self.articles {
            writeln!(
                md,
                "| {} | {} | {} | {} |",
                a.number,
                title_cell(a),
                a.rules.len(),
                a.not_checkable.len()
            )?;
        }
        writeln!(md)?;
        for a in &self.articles {
            writeln!(md, "## 第{}条 {}", a.number, title_cell(a))?;
            writeln!(md)?;
            if a.is_untraced() {
                writeln!(
                    md,
                    "**Not traced:** no rule cites this article and no comment says why it cannot \
                     be checked."
                )?;
                writeln!(md)?;
                continue;
            }
            if a.rules.is_empty() {
                writeln!(
                    md,
                    "No rule: nothing in this article can be checked against an event log."
                )?;
            } else {
                writeln!(md, "| rule | title | form | file |")?;
                writeln!(md, "|---|---|---|---|")?;
                for r in &a.rules {
                    writeln!(
                        md,
                        "| `{}` | {} | {} | `{}` |",
                        r.id, r.title, r.form, r.file
                    )?;
                }
            }
            writeln!(md)?;
            if !a.not_checkable.is_empty() {
                writeln!(md, "Not checkable:")?;
                writeln!(md)?;
                for u in &a.not_checkable {
                    writeln!(md, "- “{}” — {} (`{}`)", u.duty, u.reason, u.file)?;
                }
                writeln!(md)?;
            }
        }
        Ok(())
    }
}

fn title_cell(a: &ArticleTrace) -> &str {
    a.title.as_deref().unwrap_or("(not in the source)")
}

/// What the rule files say, before it is laid out by article.
#[derive(Default)]
struct Collected {
    title: Option<String>,
    rules: BTreeMap<u64, Vec<TracedRule>>,
    unchecked: BTreeMap<u64, Vec<NotCheckable>>,
    defects: Vec<Noted>,
    quotes: Vec<Quote>,
}

/// A quote to look up in the source.
struct Quote {
    /// The articles it may come from.
    articles: Vec<u64>,
    /// The rule quoting it, or `None` for a not-checkable duty.
    rule: Option<String>,
    text: String,
    file: String,
}

fn collect(loaded: &Loaded, plan_path: &Path) -> Result<Collected, TraceError> {
    let mut out = Collected::default();
    for (file_id, unit) in &loaded.units {
        let path = loaded
            .sources
            .get(*file_id)
            .map(|f| f.name.clone())
            .unwrap_or_default();
        let file = relative_name(&path, plan_path);
        for item in &unit.items {
            match item {
                Item::Plan(header) if out.title.is_none() => {
                    out.title = Some(header.title.value.clone());
                }
                Item::Rule(rule) => add_rule(&mut out, rule, &file),
                _ => {}
            }
        }
        comments(&mut out, &loaded.sources, &unit.comments, &file, &path)?;
    }
    Ok(out)
}

fn add_rule(out: &mut Collected, rule: &Rule, file: &str) {
    let mut articles = Vec::new();
    let mut quotes = Vec::new();
    for m in &rule.meta {
        match m {
            Meta::Article(list) => articles.extend(list.iter().map(|a| a.value)),
            Meta::Quote(q) => quotes.push(q.value.clone()),
            _ => {}
        }
    }
    for text in quotes {
        out.quotes.push(Quote {
            articles: articles.clone(),
            rule: Some(rule.id.name.clone()),
            text,
            file: file.to_owned(),
        });
    }
    for article in articles {
        out.rules.entry(article).or_default().push(TracedRule {
            id: rule.id.name.clone(),
            title: rule
                .title
                .as_ref()
                .map(|t| t.value.clone())
                .unwrap_or_default(),
            form: form(&rule.body, rule.subject.mode),
            file: file.to_owned(),
        });
    }
}

/// Reads the convention's lines from the comments of one file (`file` relative to the plan, `path`
/// as the loader names it, for errors). A defect note runs from its marker to the next empty
/// comment line, marker, or non-comment line.
fn comments(
    out: &mut Collected,
    sources: &SourceMap,
    comments: &[Comment],
    file: &str,
    path: &str,
) -> Result<(), TraceError> {
    let mut defect: Option<Noted> = None;
    let mut last_line = 0;
    for comment in comments {
        let first_line = sources.line_col(comment.span).line;
        if first_line > last_line + 1 {
            out.defects.extend(defect.take());
        }
        last_line = first_line + comment.text.lines().count().saturating_sub(1);
        for (i, line) in comment.text.lines().enumerate() {
            let body = line.trim().trim_start_matches('/').trim();
            if let Some(rest) = strip_unchecked_marker(body) {
                out.defects.extend(defect.take());
                let Some((article, duty, reason)) = parse_unchecked(rest) else {
                    return Err(TraceError::Malformed {
                        file: path.to_owned(),
                        line: first_line + i,
                        text: line.trim().to_owned(),
                    });
                };
                out.quotes.push(Quote {
                    articles: vec![article],
                    rule: None,
                    text: duty.clone(),
                    file: file.to_owned(),
                });
                out.unchecked
                    .entry(article)
                    .or_default()
                    .push(NotCheckable {
                        duty,
                        reason,
                        file: file.to_owned(),
                    });
            } else if let Some(rest) = strip_defect_marker(body) {
                out.defects.extend(defect.take());
                defect = Some(Noted {
                    text: rest.trim().to_owned(),
                    file: file.to_owned(),
                });
            } else if body.is_empty() {
                out.defects.extend(defect.take());
            } else if let Some(d) = defect.as_mut() {
                join_line(&mut d.text, body);
            }
        }
    }
    out.defects.extend(defect.take());
    Ok(())
}

/// The rest of a comment line after `不可检查` or `not checkable`.
fn strip_unchecked_marker(body: &str) -> Option<&str> {
    body.strip_prefix("不可检查")
        .or_else(|| body.strip_prefix("not checkable"))
}

/// The rest of a comment line after `来源缺陷:` or `source defect:`.
fn strip_defect_marker(body: &str) -> Option<&str> {
    ["来源缺陷", "source defect"].iter().find_map(|marker| {
        body.strip_prefix(marker)?
            .trim_start()
            .strip_prefix([':', '：'])
    })
}

/// Parses `第N条: "duty" — reason` or `article N: "duty" — reason`.
fn parse_unchecked(rest: &str) -> Option<(u64, String, String)> {
    let rest = rest.trim();
    let (number, rest) = if let Some(r) = rest.strip_prefix('第') {
        r.split_once('条')?
    } else {
        let r = rest.strip_prefix("article")?.trim_start();
        let end = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
        r.split_at(end)
    };
    let article = number.trim().parse().ok()?;
    let rest = rest
        .trim_start()
        .strip_prefix([':', '：'])?
        .trim_start()
        .strip_prefix('"')?;
    // Only ASCII quotes delimit the duty: the duty itself may hold Chinese quotation marks.
    let (duty, rest) = rest.split_once('"')?;
    let reason = rest.trim().strip_prefix(['—', '-'])?.trim();
    if duty.trim().is_empty() || reason.is_empty() {
        return None;
    }
    Some((article, duty.to_owned(), reason.to_owned()))
}

/// Appends a continuation line: Chinese text runs on without a space, other text gets one.
fn join_line(text: &mut String, line: &str) {
    let ascii_seam = text.chars().next_back().is_some_and(|c| c.is_ascii())
        && line.chars().next().is_some_and(|c| c.is_ascii());
    if ascii_seam {
        text.push(' ');
    }
    text.push_str(line);
}

/// The duty form of a rule, in words.
fn form(body: &RuleBody, mode: SubjectMode) -> &'static str {
    let coverage = mode == SubjectMode::CoverEach;
    match body {
        RuleBody::Count(c) if c.quantity.amount.is_none() => "prohibition",
        RuleBody::Count(_) if coverage => "coverage count",
        RuleBody::Count(_) => "periodic count",
        RuleBody::Response(r) if r.branches.len() > 1 => "escalation ladder",
        RuleBody::Response(_) => "response with deadline",
        RuleBody::Consequence(_) => "consequence (finding)",
        RuleBody::Hold(_) if coverage => "coverage of a maintained state",
        RuleBody::Hold(_) => "maintained state",
    }
}

/// An article of the source: its title and its whole text.
struct SourceArticle {
    title: String,
    text: String,
}

/// The articles of a source text: a line `N.title。text…` (also `N．` or `N、`) starts article N,
/// which runs to the next article. The first article of a number wins.
fn articles_of(text: &str) -> BTreeMap<u64, SourceArticle> {
    let mut out: BTreeMap<u64, SourceArticle> = BTreeMap::new();
    let mut current: Option<u64> = None;
    for line in text.lines() {
        let start = line
            .trim_start()
            .split_once(['.', '．', '、'])
            .and_then(|(number, rest)| Some((number.trim().parse::<u64>().ok()?, rest)));
        match start {
            Some((n, rest)) if !out.contains_key(&n) => {
                let title = rest.split('。').next().unwrap_or(rest).trim().to_owned();
                out.insert(
                    n,
                    SourceArticle {
                        title,
                        text: line.to_owned(),
                    },
                );
                current = Some(n);
            }
            _ => {
                if let Some(article) = current.and_then(|n| out.get_mut(&n)) {
                    article.text.push('\n');
                    article.text.push_str(line);
                }
            }
        }
    }
    out
}

/// Text without white space, so that a quote wrapped differently from the source still matches.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A path as the user wrote it, with `/` separators and without `./`.
fn shown(path: &Path) -> String {
    let text = normalize(path).to_string_lossy().replace('\\', "/");
    if text.is_empty() {
        ".".to_owned()
    } else {
        text
    }
}

/// The name of a rule file relative to the plan folder (its file name when the plan is one file).
fn relative_name(name: &str, plan_path: &Path) -> String {
    let path = normalize(Path::new(name));
    match path.strip_prefix(plan_path) {
        Ok(rest) if !rest.as_os_str().is_empty() => rest.to_string_lossy().replace('\\', "/"),
        _ => path
            .file_name()
            .map_or_else(|| name.to_owned(), |n| n.to_string_lossy().into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::{articles_of, parse_unchecked, strip_defect_marker};

    #[test]
    fn parses_both_spellings_of_a_not_checkable_line() {
        assert_eq!(
            parse_unchecked(" 第12条: \"开展培训\" — 没有数量"),
            Some((12, "开展培训".to_owned(), "没有数量".to_owned()))
        );
        assert_eq!(
            parse_unchecked(" article 3: \"improve the mechanism\" - no event"),
            Some((3, "improve the mechanism".to_owned(), "no event".to_owned()))
        );
        assert_eq!(parse_unchecked(" 第12条 \"开展培训\" — 没有数量"), None);
        assert_eq!(parse_unchecked(" 第12条: \"开展培训\""), None);
        assert_eq!(parse_unchecked(" 第x条: \"开展培训\" — 理由"), None);
    }

    #[test]
    fn reads_defect_markers() {
        assert_eq!(strip_defect_marker("来源缺陷:缺标题"), Some("缺标题"));
        assert_eq!(strip_defect_marker("来源缺陷：缺标题"), Some("缺标题"));
        assert_eq!(
            strip_defect_marker("source defect: heading"),
            Some(" heading")
        );
        assert_eq!(strip_defect_marker("来源 缺陷"), None);
    }

    #[test]
    fn articles_run_to_the_next_one() {
        let articles =
            articles_of("前言\n1.第一条。正文一\n续\n二、部分\n2．第二条。正文二\n2023年5月4日\n");
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[&1].title, "第一条");
        assert!(articles[&1].text.contains("续"));
        assert_eq!(articles[&2].title, "第二条");
    }
}
