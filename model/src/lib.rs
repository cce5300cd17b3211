//! Siteline's domain model: everything the app and the server must agree on, once. No I/O.

pub mod access;
pub mod api;
pub mod calendar;
pub mod category;
pub mod complaint;
pub mod department;
pub mod device_record;
pub mod event;
pub mod fleet;
pub mod fold;
pub mod folding;
pub mod ids;
pub mod majors;
pub mod names;
pub mod numbering;
pub mod overdue;
pub mod replica;
pub mod replies;
pub mod report;
pub mod sync;
pub mod time;
pub mod timelimit;
pub mod validation;
pub mod window;
pub mod workflow;

pub use category::{Category, CATEGORIES};
pub use complaint::{
    AttachmentRef, Channel, Complainant, Complaint, Conflict, CustomerType, Escalation, Gps,
    Nature, Note, Role, Satisfaction, Severity, Status,
};
pub use event::{ComplaintPatch, Event, EventKind, NewComplaint};
pub use fold::{fold, fold_in_order, fold_next, fold_one, fold_placed, LamportClock, Place};
pub use folding::Folding;
pub use ids::{ComplaintId, DeviceId, EventId};
pub use time::Timestamp;
pub use validation::{Phone, ValidationError, ValidationErrors};
