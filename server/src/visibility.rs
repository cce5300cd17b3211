//! Who may see what: the one place the visibility rule lives (complaints and their photos).

use crate::error::Result;
use crate::store::Store;
use siteline_model::api::UserInfo;
use siteline_model::Complaint;

/// Whether a signed-in user may see a complaint. Today every signed-in role sees every complaint
/// (the register is shared by the whole site team); role- or site-scoped visibility goes here.
pub fn may_see_complaint(user: &UserInfo, complaint: &Complaint) -> bool {
    let _ = (user, complaint);
    true
}

/// Whether a user may fetch an attachment: only if some complaint they may see references it
/// in its current state. An attachment nobody references (or does not exist) is not found.
pub async fn may_see_attachment(store: &dyn Store, user: &UserInfo, sha256: &str) -> Result<bool> {
    let rows = store.complaints_with_attachment(sha256).await?;
    Ok(rows.iter().any(|r| may_see_complaint(user, &r.state)))
}
