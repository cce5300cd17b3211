//! Siteline front end.
