//! oblige-fmt (being built).
