//! Evaluator tests: scenarios per construct, properties, and fixture snapshots.
#![allow(dead_code, reason = "not every test uses every helper")]

#[cfg(test)]
mod common;
#[cfg(test)]
mod consequences;
#[cfg(test)]
mod counts;
#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod holds;
#[cfg(test)]
mod properties;
#[cfg(test)]
mod responses;
#[cfg(test)]
mod xianning_smoke;
