//! The one error type of the server, answered as `{"error":{"code","message"}}` with its status.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use siteline_model::api::{ErrorBody, ErrorDetail};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    BadJson(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("sign in first")]
    Unauthorized,
    #[error("the session has expired; sign in again")]
    TokenExpired,
    #[error("you are not allowed to do this")]
    Forbidden,
    #[error("{0}")]
    NotFound(String),
    /// Was here and is no more (an expired or revoked shared link).
    #[error("{0}")]
    Gone(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    Validation(String),
    #[error("{0}")]
    UpdateRequired(String),
    /// The bytes do not hash to the SHA-256 they were sent under.
    #[error("{0}")]
    HashMismatch(String),
    /// Not a photo type the server keeps (sniffed from the bytes, whatever the name or header).
    #[error("{0}")]
    UnsupportedType(String),
    /// A chunk sent at the wrong offset; `received` is where the upload stands (resume there).
    #[error("the upload has {received} bytes; send the next chunk at offset={received}")]
    OffsetMismatch { received: u64 },
    /// An import body that is not a readable export archive.
    #[error("{0}")]
    BadArchive(String),
    #[error("{0}")]
    Unavailable(String),
    /// A user's uploads under way hold more than their staging quota: finish those first.
    #[error("{0}")]
    QuotaExceeded(String),
    /// Too many failed sign-ins: try again after this many seconds.
    #[error("too many failed sign-ins; try again in {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: u64 },

    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Internal(String),
}

impl From<crate::store::error::StoreError> for Error {
    fn from(e: crate::store::error::StoreError) -> Error {
        use crate::store::error::StoreError as S;
        match e {
            S::Conflict(m) => Error::Conflict(m),
            S::NotFound(m) => Error::NotFound(m),
            S::Invalid(m) => Error::Validation(m),
            S::Internal(m) => Error::Internal(m),
            S::Database(e) => Error::Database(e),
            S::Migrate(e) => Error::Migrate(e),
        }
    }
}

impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Error::BadRequest(_) | Error::BadJson(_) | Error::BadArchive(_) => {
                StatusCode::BAD_REQUEST
            }
            Error::UnsupportedMediaType(_) | Error::UnsupportedType(_) => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            Error::InvalidCredentials | Error::Unauthorized | Error::TokenExpired => {
                StatusCode::UNAUTHORIZED
            }
            Error::Forbidden => StatusCode::FORBIDDEN,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Gone(_) => StatusCode::GONE,
            Error::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Error::Conflict(_) | Error::OffsetMismatch { .. } => StatusCode::CONFLICT,
            Error::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::Validation(_) | Error::HashMismatch(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::UpdateRequired(_) => StatusCode::UPGRADE_REQUIRED,
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::RateLimited { .. } | Error::QuotaExceeded(_) => StatusCode::TOO_MANY_REQUESTS,
            Error::Database(_) | Error::Migrate(_) | Error::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// Stable snake_case code the app can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadRequest(_) => "bad_request",
            Error::BadJson(_) => "bad_json",
            Error::UnsupportedMediaType(_) => "unsupported_media_type",
            Error::InvalidCredentials => "invalid_credentials",
            Error::Unauthorized => "unauthorized",
            Error::TokenExpired => "token_expired",
            Error::Forbidden => "forbidden",
            Error::NotFound(_) => "not_found",
            Error::Gone(_) => "gone",
            Error::MethodNotAllowed => "method_not_allowed",
            Error::Conflict(_) => "conflict",
            Error::TooLarge(_) => "too_large",
            Error::Validation(_) => "validation",
            Error::UpdateRequired(_) => "update_required",
            Error::HashMismatch(_) => "hash_mismatch",
            Error::UnsupportedType(_) => "unsupported_type",
            Error::OffsetMismatch { .. } => "offset_mismatch",
            Error::BadArchive(_) => "bad_archive",
            Error::Unavailable(_) => "unavailable",
            Error::RateLimited { .. } => "rate_limited",
            Error::QuotaExceeded(_) => "quota_exceeded",
            Error::Database(_) | Error::Migrate(_) | Error::Internal(_) => "internal",
        }
    }

    pub fn not_found() -> Error {
        Error::NotFound("not found".into())
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = if status.is_server_error() && !matches!(self, Error::Unavailable(_)) {
            // Details go to the log, not to the client.
            tracing::error!(error = %self, "request failed");
            "internal server error".to_string()
        } else {
            self.to_string()
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().to_string(),
                message,
            },
        };
        if let Error::RateLimited { retry_after_secs } = self {
            let mut res = (status, Json(body)).into_response();
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(retry_after_secs),
            );
            return res;
        }
        if let Error::OffsetMismatch { received } = self {
            // The one error with data: where a resumable upload stands, for the client to resume.
            if let Ok(mut value) = serde_json::to_value(&body) {
                value["error"]["received"] = received.into();
                return (status, Json(value)).into_response();
            }
        }
        (status, Json(body)).into_response()
    }
}

impl From<JsonRejection> for Error {
    fn from(r: JsonRejection) -> Error {
        match r {
            JsonRejection::MissingJsonContentType(_) => Error::UnsupportedMediaType(
                "expected a request with Content-Type: application/json".into(),
            ),
            JsonRejection::JsonSyntaxError(e) => Error::BadJson(e.body_text()),
            JsonRejection::JsonDataError(e) => Error::BadJson(e.body_text()),
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Error::TooLarge("request body too large".into())
            }
            other => Error::BadRequest(other.body_text()),
        }
    }
}

impl From<QueryRejection> for Error {
    fn from(r: QueryRejection) -> Error {
        Error::BadRequest(r.body_text())
    }
}

impl From<PathRejection> for Error {
    fn from(r: PathRejection) -> Error {
        Error::BadRequest(r.body_text())
    }
}
