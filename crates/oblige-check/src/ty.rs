//! Types of attributes and predicate values as the checker sees them.

use crate::model::AttrType;

/// A value's type. `Unknown` stands for something already reported, so one mistake does not
/// cascade into further errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    Text,
    Bool,
    Int,
    Date,
    Ref(String),
    Enum(String),
    Unknown,
}

impl Ty {
    /// How the type is written in the language, for messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Ty::Text => "`text`".to_owned(),
            Ty::Bool => "`bool`".to_owned(),
            Ty::Int => "`int`".to_owned(),
            Ty::Date => "`date`".to_owned(),
            Ty::Ref(c) => format!("`ref {c}`"),
            Ty::Enum(e) => format!("enum `{e}`"),
            Ty::Unknown => "an unknown type".to_owned(),
        }
    }

    /// Whether two values of these types can be compared for equality. References are unit ids,
    /// which are text.
    pub(crate) fn compatible(&self, other: &Ty) -> bool {
        match (self, other) {
            (Ty::Unknown, _) | (_, Ty::Unknown) => true,
            (Ty::Text | Ty::Ref(_), Ty::Text | Ty::Ref(_)) => true,
            (a, b) => a == b,
        }
    }

    /// Whether `<` and friends mean something on this type.
    pub(crate) fn is_ordered(&self) -> bool {
        matches!(self, Ty::Int | Ty::Date | Ty::Unknown)
    }

    /// The model's form; `None` for `Unknown`, which never reaches a built plan.
    pub(crate) fn to_model(&self) -> Option<AttrType> {
        Some(match self {
            Ty::Text => AttrType::Text,
            Ty::Bool => AttrType::Bool,
            Ty::Int => AttrType::Int,
            Ty::Date => AttrType::Date,
            Ty::Ref(c) => AttrType::Ref(c.clone()),
            Ty::Enum(e) => AttrType::Enum(e.clone()),
            Ty::Unknown => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Ty;

    #[test]
    fn references_compare_with_text_and_unknown_with_anything() {
        assert!(Ty::Ref("unit".into()).compatible(&Ty::Text));
        assert!(Ty::Unknown.compatible(&Ty::Int));
        assert!(!Ty::Enum("a".into()).compatible(&Ty::Enum("b".into())));
        assert!(!Ty::Int.compatible(&Ty::Text));
        assert!(Ty::Date.is_ordered() && !Ty::Text.is_ordered());
    }
}
