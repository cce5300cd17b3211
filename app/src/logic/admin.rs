//! The admin forms' rules (plain Rust): a new user's request from what was typed, location
//! lines of a new site, the sites an edit keeps.

use siteline_model::api::{CreateSiteRequest, CreateUserRequest, LocationInput};
use siteline_model::{department, Role};

/// Why a form cannot be sent yet (the page says it in the user's language).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormProblem {
    Username,
    Password,
    NeedsSite,
    NeedsDepartment,
    SiteCode,
    SiteName,
}

/// What the new-user form holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserForm {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: String,
    pub department: String,
    pub sites: Vec<String>,
}

/// The request for a new user, or what is missing (the server checks again).
pub fn user_request(f: &UserForm) -> Result<CreateUserRequest, FormProblem> {
    let username = f.username.trim().to_lowercase();
    let ok_name = (2..=32).contains(&username.len())
        && username
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b));
    if !ok_name {
        return Err(FormProblem::Username);
    }
    if f.password.chars().count() < 8 {
        return Err(FormProblem::Password);
    }
    let role = Role::parse(&f.role).unwrap_or(Role::Staff);
    let department =
        Some(f.department.trim().to_string()).filter(|d| department::find(d).is_some());
    if role == Role::Handler && department.is_none() {
        return Err(FormProblem::NeedsDepartment);
    }
    if role != Role::Admin && f.sites.is_empty() {
        return Err(FormProblem::NeedsSite);
    }
    Ok(CreateUserRequest {
        username,
        password: f.password.clone(),
        role: role.code().to_string(),
        display_name: Some(f.display_name.trim().to_string()).filter(|d| !d.is_empty()),
        department,
        sites: (role != Role::Admin).then(|| f.sites.clone()),
    })
}

/// A new site's request: code upper-cased, one location label per non-empty line
/// (`1栋 › 3F › 电梯厅`, levels split on `›` or `>`).
pub fn site_request(
    code: &str,
    name: &str,
    locations: &str,
) -> Result<CreateSiteRequest, FormProblem> {
    let code = code.trim().to_uppercase();
    if code.is_empty() || code.len() > 16 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(FormProblem::SiteCode);
    }
    let name = name.trim();
    if name.is_empty() {
        return Err(FormProblem::SiteName);
    }
    let locations: Vec<LocationInput> = locations
        .lines()
        .map(|l| l.replace('>', "›"))
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .map(LocationInput::Label)
        .collect();
    Ok(CreateSiteRequest {
        code,
        name: name.to_string(),
        locations: (!locations.is_empty()).then_some(locations),
    })
}

/// Toggles a site in a selection (keeping it sorted).
pub fn toggle_site(sites: &mut Vec<String>, code: &str) {
    match sites.iter().position(|s| s == code) {
        Some(i) => {
            sites.remove(i);
        }
        None => {
            sites.push(code.to_string());
            sites.sort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn form() -> UserForm {
        UserForm {
            username: " Zhang.San ".into(),
            display_name: "张三".into(),
            password: "long-enough".into(),
            role: "staff".into(),
            department: String::new(),
            sites: vec!["SL".into()],
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_user_needs_a_name_a_password_sites_and_for_handlers_a_department() {
        let r = user_request(&form()).expect("valid");
        assert_eq!(r.username, "zhang.san");
        assert_eq!(r.sites, Some(vec!["SL".to_string()]));
        assert_eq!(r.department, None);
        let bad = |f: UserForm| user_request(&f).unwrap_err();
        assert_eq!(
            bad(UserForm {
                username: "张".into(),
                ..form()
            }),
            FormProblem::Username
        );
        assert_eq!(
            bad(UserForm {
                password: "short".into(),
                ..form()
            }),
            FormProblem::Password
        );
        assert_eq!(
            bad(UserForm {
                sites: vec![],
                ..form()
            }),
            FormProblem::NeedsSite
        );
        assert_eq!(
            bad(UserForm {
                role: "handler".into(),
                ..form()
            }),
            FormProblem::NeedsDepartment
        );
        let h = user_request(&UserForm {
            role: "handler".into(),
            department: "engineering".into(),
            ..form()
        })
        .expect("handler");
        assert_eq!(h.department.as_deref(), Some("engineering"));
        let admin = user_request(&UserForm {
            role: "admin".into(),
            sites: vec![],
            ..form()
        });
        assert_eq!(admin.expect("admin").sites, None, "admins work everywhere");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_site_has_a_code_a_name_and_location_lines() {
        let r = site_request(" b2 ", "二期", "1栋 > 3F > 电梯厅\n\n  B2 停车场 \n").expect("valid");
        assert_eq!(r.code, "B2");
        assert_eq!(
            r.locations,
            Some(vec![
                LocationInput::Label("1栋 › 3F › 电梯厅".into()),
                LocationInput::Label("B2 停车场".into())
            ])
        );
        assert_eq!(
            site_request("b-2", "x", "").unwrap_err(),
            FormProblem::SiteCode
        );
        assert_eq!(
            site_request("B3", " ", "").unwrap_err(),
            FormProblem::SiteName
        );
        assert_eq!(site_request("B3", "三期", "").expect("ok").locations, None);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn site_selection_toggles_and_stays_sorted() {
        let mut s = vec!["SL".to_string()];
        toggle_site(&mut s, "B");
        assert_eq!(s, vec!["B", "SL"]);
        toggle_site(&mut s, "SL");
        assert_eq!(s, vec!["B"]);
    }
}
