//! The declarations of a plan gathered into one table per namespace, with duplicates reported.

use crate::codes;
use crate::ctx::{Ctx, Ns};
use crate::ty::Ty;
use indexmap::IndexMap;
use oblige_diagnostics::Span;
use oblige_syntax::ast::{
    AttrDecl, CalendarDecl, FindingDecl, Ident, Item, ParamDecl, PlanHeader, Rule, SourceUnit,
    StateDecl, TypeKind, WindowDecl,
};

/// Attributes every unit has.
pub(crate) const UNIT_BUILTINS: &[(&str, Ty)] =
    &[("id", Ty::Text), ("name", Ty::Text), ("parent", Ty::Text)];
/// Attributes every event has.
pub(crate) const EVENT_BUILTINS: &[(&str, Ty)] = &[
    ("id", Ty::Text),
    ("time", Ty::Date),
    ("kind", Ty::Text),
    ("actor", Ty::Text),
    ("target", Ty::Text),
];
/// Event field names reserved by the log format though predicates cannot read them.
const EVENT_RESERVED: &[&str] = &["recorded_at"];

/// An attribute with its type and where it is declared.
#[derive(Clone, Debug)]
pub(crate) struct AttrSym {
    pub(crate) ty: Ty,
    pub(crate) span: Span,
}

/// A class or event kind.
#[derive(Clone, Debug, Default)]
pub(crate) struct TypeSym {
    pub(crate) attrs: IndexMap<String, AttrSym>,
}

/// An enum.
#[derive(Clone, Debug)]
pub(crate) struct EnumSym {
    pub(crate) values: Vec<String>,
}

/// Every declaration by namespace; only the first of duplicates is kept.
#[derive(Debug, Default)]
pub(crate) struct Symbols<'a> {
    pub(crate) headers: Vec<&'a PlanHeader>,
    pub(crate) enums: IndexMap<String, EnumSym>,
    pub(crate) classes: IndexMap<String, TypeSym>,
    pub(crate) events: IndexMap<String, TypeSym>,
    pub(crate) windows: IndexMap<String, &'a WindowDecl>,
    pub(crate) calendars: IndexMap<String, &'a CalendarDecl>,
    pub(crate) params: IndexMap<String, &'a ParamDecl>,
    pub(crate) findings: IndexMap<String, &'a FindingDecl>,
    pub(crate) states: IndexMap<String, &'a StateDecl>,
    pub(crate) rules: IndexMap<String, &'a Rule>,
    /// Every rule, duplicates included, in source order: all are checked.
    pub(crate) rule_list: Vec<&'a Rule>,
    /// Where each name was first declared.
    pub(crate) spans: IndexMap<(Ns, String), Span>,
}

impl<'a> Symbols<'a> {
    /// Gathers the declarations of all files, then types the attributes.
    pub(crate) fn collect(
        ctx: &mut Ctx,
        units: &'a [(oblige_diagnostics::FileId, SourceUnit)],
    ) -> Self {
        let mut s = Symbols::default();
        for (_, unit) in units {
            for item in &unit.items {
                s.declare_item(ctx, item);
            }
        }
        for (_, unit) in units {
            for item in &unit.items {
                match item {
                    Item::Class(c) if s.is_first(Ns::Class, &c.name) => {
                        let sym = s.type_attrs(ctx, &c.attrs, UNIT_BUILTINS, &[], "unit");
                        s.classes.insert(c.name.name.clone(), sym);
                    }
                    Item::Event(e) if s.is_first(Ns::Event, &e.name) => {
                        let sym =
                            s.type_attrs(ctx, &e.attrs, EVENT_BUILTINS, EVENT_RESERVED, "event");
                        s.events.insert(e.name.name.clone(), sym);
                    }
                    _ => {}
                }
            }
        }
        s
    }

    fn is_first(&self, ns: Ns, name: &Ident) -> bool {
        self.spans.get(&(ns, name.name.clone())) == Some(&name.span)
    }

    /// Records a name; reports and returns false when it is already taken.
    fn declare(&mut self, ctx: &mut Ctx, ns: Ns, name: &Ident) -> bool {
        let key = (ns, name.name.clone());
        if let Some(&first) = self.spans.get(&key) {
            ctx.error(
                codes::DUPLICATE_NAME,
                name.span,
                format!("the {} `{}` is declared twice", ns.noun(), name.name),
            )
            .label("declared again here")
            .related(first, "first declared here")
            .help("rename one of them or remove the duplicate");
            return false;
        }
        self.spans.insert(key, name.span);
        true
    }

    fn declare_item(&mut self, ctx: &mut Ctx, item: &'a Item) {
        match item {
            Item::Plan(h) => self.headers.push(h),
            Item::Include(_) => {}
            Item::Enum(e) => {
                if self.declare(ctx, Ns::Enum, &e.name) {
                    let values = enum_values(ctx, &e.values);
                    self.enums.insert(e.name.name.clone(), EnumSym { values });
                }
            }
            Item::Class(c) => {
                if self.declare(ctx, Ns::Class, &c.name) {
                    self.classes.insert(c.name.name.clone(), TypeSym::default());
                }
            }
            Item::Event(e) => {
                if self.declare(ctx, Ns::Event, &e.name) {
                    self.events.insert(e.name.name.clone(), TypeSym::default());
                }
            }
            Item::Window(w) => insert(self, ctx, Ns::Window, &w.name, w, |s| &mut s.windows),
            Item::Calendar(c) => insert(self, ctx, Ns::Calendar, &c.name, c, |s| &mut s.calendars),
            Item::Param(p) => insert(self, ctx, Ns::Param, &p.name, p, |s| &mut s.params),
            Item::Finding(f) => insert(self, ctx, Ns::Finding, &f.name, f, |s| &mut s.findings),
            Item::State(st) => insert(self, ctx, Ns::State, &st.name, st, |s| &mut s.states),
            Item::Rule(r) => {
                self.rule_list.push(r);
                insert(self, ctx, Ns::Rule, &r.id, r, |s| &mut s.rules);
            }
        }
    }

    /// Types the attributes of a class or event kind, reporting duplicates and clashes.
    fn type_attrs(
        &self,
        ctx: &mut Ctx,
        attrs: &[AttrDecl],
        builtins: &[(&str, Ty)],
        reserved: &[&str],
        what: &str,
    ) -> TypeSym {
        let mut sym = TypeSym::default();
        for a in attrs {
            let name = &a.name.name;
            if builtins.iter().any(|(b, _)| b == name) || reserved.contains(&name.as_str()) {
                ctx.error(
                    codes::BUILTIN_ATTRIBUTE,
                    a.name.span,
                    format!("`{name}` is a built-in attribute of every {what}"),
                )
                .label("clashes with the built-in attribute")
                .help("choose another name; the built-in one is always available");
                continue;
            }
            if let Some(first) = sym.attrs.get(name) {
                ctx.error(
                    codes::DUPLICATE_ATTRIBUTE,
                    a.name.span,
                    format!("the attribute `{name}` is declared twice"),
                )
                .label("declared again here")
                .related(first.span, "first declared here")
                .help("remove one of them");
                continue;
            }
            let ty = self.attr_type(ctx, &a.ty.kind);
            sym.attrs.insert(
                name.clone(),
                AttrSym {
                    ty,
                    span: a.name.span,
                },
            );
        }
        sym
    }

    fn attr_type(&self, ctx: &mut Ctx, kind: &TypeKind) -> Ty {
        match kind {
            TypeKind::Text => Ty::Text,
            TypeKind::Bool => Ty::Bool,
            TypeKind::Int => Ty::Int,
            TypeKind::Date => Ty::Date,
            TypeKind::Ref(c) => {
                if self.classes.contains_key(&c.name) {
                    ctx.mark_used(Ns::Class, &c.name);
                    Ty::Ref(c.name.clone())
                } else {
                    ctx.error(
                        codes::UNKNOWN_CLASS,
                        c.span,
                        format!("unknown class `{}`", c.name),
                    )
                    .label("no class has this name")
                    .suggest(&c.name, self.classes.keys().map(String::as_str));
                    Ty::Unknown
                }
            }
            TypeKind::Enum(e) => {
                if self.enums.contains_key(&e.name) {
                    ctx.mark_used(Ns::Enum, &e.name);
                    Ty::Enum(e.name.clone())
                } else {
                    let b = ctx
                        .error(
                            codes::UNKNOWN_TYPE,
                            e.span,
                            format!("unknown type `{}`", e.name),
                        )
                        .label("not a built-in type or a declared enum");
                    if self.classes.contains_key(&e.name) {
                        b.help(format!(
                            "to refer to a unit of class `{}`, write `ref {}`",
                            e.name, e.name
                        ));
                    } else {
                        let names = ["text", "bool", "int", "date"]
                            .into_iter()
                            .chain(self.enums.keys().map(String::as_str));
                        b.suggest(&e.name, names);
                    }
                    Ty::Unknown
                }
            }
        }
    }
}

fn insert<'a, T: 'a>(
    s: &mut Symbols<'a>,
    ctx: &mut Ctx,
    ns: Ns,
    name: &Ident,
    value: &'a T,
    map: impl for<'s> FnOnce(&'s mut Symbols<'a>) -> &'s mut IndexMap<String, &'a T>,
) {
    if s.declare(ctx, ns, name) {
        map(s).insert(name.name.clone(), value);
    }
}

fn enum_values(ctx: &mut Ctx, values: &[Ident]) -> Vec<String> {
    let mut seen: IndexMap<&str, Span> = IndexMap::new();
    for v in values {
        if let Some(&first) = seen.get(v.name.as_str()) {
            ctx.error(
                codes::DUPLICATE_ENUM_VALUE,
                v.span,
                format!("the value `{}` is listed twice", v.name),
            )
            .label("listed again here")
            .related(first, "first listed here")
            .help("remove one of them");
        } else {
            seen.insert(&v.name, v.span);
        }
    }
    seen.keys().map(|k| (*k).to_owned()).collect()
}
