//! oblige-eval (being built).
