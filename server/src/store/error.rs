//! The storage layer's own errors (backends and the ingest core): what storage can say, turned
//! into HTTP answers only by `From<StoreError> for crate::error::Error`.

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique key is taken (a username, a site code, an upload of the same file).
    #[error("{0}")]
    Conflict(String),
    /// What the call names does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The call breaks a storage rule (e.g. a location under itself, a site's last admin).
    #[error("{0}")]
    Invalid(String),
    /// Stored data does not read back, or an invariant of the ingest core broke.
    #[error("{0}")]
    Internal(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

#[cfg(test)]
mod tests {
    use super::StoreError;
    use crate::error::Error;

    #[test]
    fn store_errors_answer_with_their_http_status_and_message() {
        let cases = [
            (StoreError::Conflict("taken".into()), 409, "conflict"),
            (StoreError::NotFound("none".into()), 404, "not_found"),
            (StoreError::Invalid("loop".into()), 422, "validation"),
            (StoreError::Internal("broken".into()), 500, "internal"),
        ];
        for (e, status, code) in cases {
            let message = e.to_string();
            let http = Error::from(e);
            assert_eq!(http.status().as_u16(), status, "{message}");
            assert_eq!(http.code(), code, "{message}");
            assert_eq!(http.to_string(), message);
        }
    }
}
