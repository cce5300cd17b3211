//! First start: the default site (or the demo site with `--demo`), the admin user, demo users.

use crate::config::Config;
use crate::error::Result;
use crate::secrets;
use crate::store::{LocationNode, NewUser, Store};
use siteline_model::{Role, Timestamp};

/// A user created at start with a generated password, to be shown once to whoever started it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatedUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// `Some` when the password was generated (print it once); `None` when it came from the env.
    pub generated_password: Option<String>,
}

/// Name of the default site on a new database without `--demo`.
pub const DEFAULT_SITE_NAME: &str = "默认项目";
pub const DEMO_SITE_CODE: &str = "DEMO";
pub const DEMO_SITE_NAME: &str = "示例花园";

/// Seeds what a new database needs; returns the users it created.
pub async fn bootstrap(
    store: &dyn Store,
    config: &Config,
    now: Timestamp,
) -> Result<Vec<CreatedUser>> {
    let fresh = store.count_sites().await? == 0;
    if fresh {
        if config.demo {
            store
                .create_site(DEMO_SITE_CODE, DEMO_SITE_NAME, true, &demo_locations(), now)
                .await?;
        } else {
            store
                .create_site(&config.site_code, DEFAULT_SITE_NAME, true, &[], now)
                .await?;
        }
    }
    let mut created = Vec::new();
    if store.count_users().await? == 0 {
        let (password, generated) = match &config.admin_password {
            Some(p) => (p.clone(), None),
            None => {
                let p = secrets::random_password();
                (p.clone(), Some(p))
            }
        };
        let admin = Account("admin", "管理员", Role::Admin, None);
        created.push(create(store, admin, password, generated, now).await?);
    }
    if fresh && config.demo {
        for account in [
            Account("staff", "张三", Role::Staff, None),
            Account("supervisor", "李主管", Role::Supervisor, None),
            Account("engineer", "王工", Role::Handler, Some("engineering")),
        ] {
            if store.find_user(account.0).await?.is_none() {
                let p = secrets::random_password();
                created.push(create(store, account, p.clone(), Some(p), now).await?);
            }
        }
    }
    Ok(created)
}

/// A seeded account: username, display name, role, department.
struct Account(&'static str, &'static str, Role, Option<&'static str>);

async fn create(
    store: &dyn Store,
    Account(username, display_name, role, department): Account,
    password: String,
    generated_password: Option<String>,
    now: Timestamp,
) -> Result<CreatedUser> {
    let password_hash = secrets::hash_password_blocking(password).await?;
    // Demo accounts work at the demo site; the admin works everywhere.
    let sites = if role == Role::Admin {
        Vec::new()
    } else {
        vec![DEMO_SITE_CODE.to_string()]
    };
    let user = NewUser {
        username: username.into(),
        display_name: display_name.into(),
        role,
        department: department.map(String::from),
        password_hash,
        sites,
    };
    store.create_user(user, now).await?;
    Ok(CreatedUser {
        username: username.into(),
        display_name: display_name.into(),
        role,
        generated_password,
    })
}

/// The demo site's location tree: three buildings with floors and lift lobbies, and the car park.
pub fn demo_locations() -> Vec<LocationNode> {
    use LocationNode as L;
    let building = |name: &str, floors: u32| {
        let mut kids = vec![L::leaf("1F 大堂")];
        for f in 2..=floors {
            kids.push(L::leaf(&format!("{f}F 电梯厅")));
        }
        kids.push(L::leaf("屋面"));
        L::branch(name, kids)
    };
    vec![
        building("1栋", 6),
        building("2栋", 6),
        building("3栋", 4),
        L::branch(
            "B2 停车场",
            vec![L::leaf("A区"), L::leaf("B区"), L::leaf("充电桩")],
        ),
        L::branch(
            "公共区域",
            vec![L::leaf("南门岗"), L::leaf("中心花园"), L::leaf("垃圾房")],
        ),
    ]
}
