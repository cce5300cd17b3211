//! 责任部门: the responsible departments of the procedures, with zh-CN and English names.

/// A department: stable code and names. Sites may add their own (later); codes never change meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Department {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

pub const DEPARTMENTS: &[Department] = &[
    Department {
        code: "customer_service",
        zh: "客服部",
        en: "Customer service",
    },
    Department {
        code: "engineering",
        zh: "工程部",
        en: "Engineering",
    },
    Department {
        code: "security",
        zh: "保安部",
        en: "Security",
    },
    Department {
        code: "cleaning",
        zh: "保洁部",
        en: "Cleaning",
    },
    Department {
        code: "landscaping",
        zh: "绿化部",
        en: "Landscaping",
    },
    Department {
        code: "management",
        zh: "管理部",
        en: "Management",
    },
];

pub fn find(code: &str) -> Option<&'static Department> {
    DEPARTMENTS.iter().find(|d| d.code == code)
}

/// The department a category usually goes to (a suggestion for dispatch).
pub fn suggested_for(category: &str) -> &'static str {
    let top = category.split('.').next().unwrap_or("");
    match (top, category) {
        (_, "service.security")
        | (_, "incident.theft")
        | (_, "incident.vehicle_loss")
        | (_, "facility.parking") => "security",
        (_, "service.cleaning") => "cleaning",
        (_, "service.landscaping") => "landscaping",
        ("facility", _) | ("incident", _) => "engineering",
        ("charge", _) => "management",
        _ => "customer_service",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_known_departments() {
        for c in crate::category::CATEGORIES {
            assert!(find(suggested_for(c.code)).is_some(), "{}", c.code);
        }
        assert_eq!(suggested_for("facility.lift"), "engineering");
        assert_eq!(suggested_for("service.cleaning"), "cleaning");
        assert_eq!(suggested_for("incident.theft"), "security");
    }
}
