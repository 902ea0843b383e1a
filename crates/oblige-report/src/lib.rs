//! oblige-report (being built).
