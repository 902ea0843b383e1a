//! oblige: state countable, time-bound duties as `.rule` files and check event logs against them.
