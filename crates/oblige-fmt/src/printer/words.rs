//! Keyword spellings and the token joiner that decides where spaces go.
//!
//! Keywords are whole words, so two words always get a space between them: this is what keeps a
//! Chinese-keyword file unambiguous (`一且一` is one name, `一 且 一` is a conjunction).

use oblige_syntax::ast::Lang;

pub(crate) use oblige_syntax::keywords::Kw;
use oblige_syntax::keywords::KEYWORDS;

/// Whether English words `a` and `b`, written one after the other, would read as a multi-word
/// keyword (`at` `least`, `for` `each`, `working` `day`). Names may be single words of such
/// keywords, so the printer must keep them apart where two names meet.
pub(crate) fn would_join(a: &str, b: &str) -> bool {
    KEYWORDS
        .iter()
        .flat_map(|k| std::iter::once(k.en).chain(k.en_alt.iter().copied()))
        .filter_map(|spelling| spelling.split_once(' '))
        .any(|(first, rest)| first == a && rest.split(' ').next() == Some(b))
}

/// One output line being assembled from words and punctuation.
#[derive(Debug)]
pub(crate) struct Toks {
    lang: Lang,
    text: String,
    /// Set after an opening bracket or a `.`: the next token sticks to it.
    glue: bool,
}

impl Toks {
    /// An empty line in keyword set `lang`.
    pub(crate) fn new(lang: Lang) -> Self {
        Self {
            lang,
            text: String::new(),
            glue: false,
        }
    }

    /// The keyword set.
    pub(crate) fn lang(&self) -> Lang {
        self.lang
    }

    /// A keyword in this line's keyword set.
    pub(crate) fn kw(&mut self, kw: Kw) -> &mut Self {
        self.word(kw.spelling(self.lang))
    }

    /// A word, number, literal or operator: spaced from what came before.
    pub(crate) fn word(&mut self, s: &str) -> &mut Self {
        if !self.text.is_empty() && !self.glue {
            self.text.push(' ');
        }
        self.text.push_str(s);
        self.glue = false;
        self
    }

    /// Punctuation that sticks to the token before it: `,` `:` `)` `]`.
    pub(crate) fn close(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self.glue = false;
        self
    }

    /// An opening bracket: spaced before, glued after.
    pub(crate) fn open(&mut self, s: &str) -> &mut Self {
        self.word(s);
        self.glue = true;
        self
    }

    /// The `.` of `subject.attr`: glued on both sides.
    pub(crate) fn dot(&mut self) -> &mut Self {
        self.text.push('.');
        self.glue = true;
        self
    }

    /// The finished line.
    pub(crate) fn finish(self) -> String {
        self.text
    }
}
