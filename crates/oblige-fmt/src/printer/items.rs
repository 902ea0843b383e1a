//! Declarations: plan header, include, enum, class, event, window, calendar, param, finding,
//! state.

use super::expr::{date, duration, string, window_parts};
use super::words::{would_join, Kw};
use super::{range, range2, Printer};
use oblige_syntax::ast::{
    AttrDecl, CalendarDecl, ClassDecl, EnumDecl, EventDecl, FindingDecl, Include, ParamDecl,
    ParamValue, PlanField, PlanHeader, StateDecl, StateDef, TypeKind, WindowDecl, WindowPart,
};
use oblige_syntax::Span;

impl Printer {
    pub(super) fn plan(&mut self, plan: &PlanHeader) {
        self.docs(&plan.docs, plan.span);
        let mut t = self.toks();
        t.kw(Kw::Plan);
        string(&mut t, &plan.title.value);
        if plan.fields.is_empty() {
            t.word("{}");
            self.push(t, range(plan.span));
            return;
        }
        self.open_block(t, range2(plan.span, plan.title.span));
        for field in &plan.fields {
            self.plan_field(field);
        }
        self.close_block(plan.span);
    }

    fn plan_field(&mut self, field: &PlanField) {
        let mut t = self.toks();
        let at = match field {
            PlanField::Issuer(s) => {
                t.kw(Kw::Issuer);
                string(&mut t, &s.value);
                range(s.span)
            }
            PlanField::Issued(d) => {
                t.kw(Kw::Issued);
                date(&mut t, d);
                range(d.span)
            }
            PlanField::Effective(from, to) => {
                t.kw(Kw::Effective);
                date(&mut t, from);
                t.word("..");
                date(&mut t, to);
                range2(from.span, to.span)
            }
            PlanField::Timezone(s) => {
                t.kw(Kw::Timezone);
                string(&mut t, &s.value);
                range(s.span)
            }
            PlanField::Source(s) => {
                t.kw(Kw::Source);
                string(&mut t, &s.value);
                range(s.span)
            }
        };
        self.push(t, at);
    }

    pub(super) fn include(&mut self, include: &Include) {
        let mut t = self.toks();
        t.kw(Kw::Include);
        string(&mut t, &include.path.value);
        self.push(t, range(include.span));
    }

    pub(super) fn enum_decl(&mut self, decl: &EnumDecl) {
        self.docs(&decl.docs, decl.span);
        let mut t = self.toks();
        t.kw(Kw::Enum).word(&decl.name.name).word("{");
        for (i, value) in decl.values.iter().enumerate() {
            if i > 0 {
                t.close(",");
            }
            t.word(&value.name);
        }
        t.word("}");
        self.push(t, range(decl.span));
    }

    pub(super) fn class(&mut self, decl: &ClassDecl) {
        self.attr_block(
            Kw::Class,
            &decl.docs,
            &decl.name.name,
            decl.name.span,
            &decl.attrs,
            decl.span,
        );
    }

    pub(super) fn event(&mut self, decl: &EventDecl) {
        self.attr_block(
            Kw::Event,
            &decl.docs,
            &decl.name.name,
            decl.name.span,
            &decl.attrs,
            decl.span,
        );
    }

    /// `class`/`event` share a layout: one attribute per line, no commas.
    fn attr_block(
        &mut self,
        kw: Kw,
        docs: &[String],
        name: &str,
        name_span: Span,
        attrs: &[AttrDecl],
        span: Span,
    ) {
        self.docs(docs, span);
        let mut t = self.toks();
        t.kw(kw).word(name);
        if attrs.is_empty() {
            t.word("{}");
            self.push(t, range(span));
            return;
        }
        self.open_block(t, range2(span, name_span));
        for (i, attr) in attrs.iter().enumerate() {
            self.attr(attr, attrs.get(i + 1));
        }
        self.close_block(span);
    }

    /// One attribute; a comma is added only where the type's name and the next attribute's
    /// name would otherwise read as one English keyword (`at` then `least`).
    fn attr(&mut self, attr: &AttrDecl, next: Option<&AttrDecl>) {
        let mut t = self.toks();
        t.word(&attr.name.name).close(":");
        match &attr.ty.kind {
            TypeKind::Text => t.kw(Kw::Text),
            TypeKind::Bool => t.kw(Kw::Bool),
            TypeKind::Int => t.kw(Kw::Int),
            TypeKind::Date => t.kw(Kw::Date),
            TypeKind::Ref(class) => t.kw(Kw::Ref).word(&class.name),
            TypeKind::Enum(name) => t.word(&name.name),
        };
        let type_name = match &attr.ty.kind {
            TypeKind::Ref(name) | TypeKind::Enum(name) => Some(name.name.as_str()),
            _ => None,
        };
        // English spellings are read in Chinese files too, so this holds for both languages.
        if let (Some(a), Some(b)) = (type_name, next) {
            if would_join(a, &b.name.name) {
                t.close(",");
            }
        }
        self.push(t, range(attr.span));
    }

    pub(super) fn window(&mut self, decl: &WindowDecl) {
        self.docs(&decl.docs, decl.span);
        let mut t = self.toks();
        t.kw(Kw::Window).word(&decl.name.name).word("=");
        window_parts(&mut t, &decl.parts);
        self.push(t, range(decl.span));
    }

    pub(super) fn calendar(&mut self, decl: &CalendarDecl) {
        self.docs(&decl.docs, decl.span);
        let mut t = self.toks();
        t.kw(Kw::Calendar).word(&decl.name.name);
        if decl.holidays.is_empty() && decl.workdays.is_empty() {
            t.word("{}");
            self.push(t, range(decl.span));
            return;
        }
        self.open_block(t, range2(decl.span, decl.name.span));
        self.day_list(Kw::Holidays, &decl.holidays);
        self.day_list(Kw::Workdays, &decl.workdays);
        self.close_block(decl.span);
    }

    /// `holidays …` / `workdays …`; an empty list is left out, as the grammar has no empty form.
    fn day_list(&mut self, kw: Kw, parts: &[WindowPart]) {
        let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
            return;
        };
        let mut t = self.toks();
        t.kw(kw);
        window_parts(&mut t, parts);
        self.push(t, range2(first.span, last.span));
    }

    pub(super) fn param(&mut self, decl: &ParamDecl) {
        self.docs(&decl.docs, decl.span);
        let mut t = self.toks();
        t.kw(Kw::Param).word(&decl.name.name).word("=");
        match &decl.value {
            ParamValue::Int(n) => {
                t.word(&n.value.to_string());
            }
            ParamValue::Duration(d) => duration(&mut t, d),
        }
        self.push(t, range(decl.span));
    }

    pub(super) fn finding(&mut self, decl: &FindingDecl) {
        self.docs(&decl.docs, decl.span);
        let mut t = self.toks();
        t.kw(Kw::Finding).word(&decl.name.name);
        if let Some(description) = &decl.description {
            string(&mut t, &description.value);
        }
        self.push(t, range(decl.span));
    }

    pub(super) fn state(&mut self, decl: &StateDecl) {
        self.docs(&decl.docs, decl.span);
        let mut t = self.toks();
        t.kw(Kw::State).word(&decl.name.name).word("=");
        match &decl.def {
            StateDef::Between { start, end } => {
                t.kw(Kw::From).word(&start.name);
                if let Some(end) = end {
                    t.kw(Kw::Until).word(&end.name);
                }
            }
            StateDef::Valid { kind, from, to } => {
                t.kw(Kw::Valid).word(&kind.name);
                t.kw(Kw::From).word(&from.name);
                t.kw(Kw::ValidTo).word(&to.name);
            }
        }
        self.push(t, range(decl.span));
    }
}
