//! The two-level complaint taxonomy of the procedures (类别), with zh-CN and English names.

/// One category: a dotted code (`facility.lift`), its parent code for sub-categories, and names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Category {
    pub code: &'static str,
    pub parent: Option<&'static str>,
    pub zh: &'static str,
    pub en: &'static str,
}

const fn top(code: &'static str, zh: &'static str, en: &'static str) -> Category {
    Category {
        code,
        parent: None,
        zh,
        en,
    }
}
const fn sub(
    parent: &'static str,
    code: &'static str,
    zh: &'static str,
    en: &'static str,
) -> Category {
    Category {
        code,
        parent: Some(parent),
        zh,
        en,
    }
}

/// The built-in taxonomy from DOMAIN.md. Sites may extend it (later); codes never change meaning.
pub const CATEGORIES: &[Category] = &[
    top("facility", "设备设施", "Equipment & facilities"),
    sub("facility", "facility.aircon", "空调", "Air-conditioning"),
    sub("facility", "facility.lighting", "照明", "Lighting"),
    sub("facility", "facility.water", "供水", "Water supply"),
    sub("facility", "facility.power", "供电", "Power supply"),
    sub("facility", "facility.lift", "电梯", "Lifts"),
    sub("facility", "facility.access", "门禁", "Access control"),
    sub("facility", "facility.parking", "停车", "Parking"),
    top("service", "管理服务", "Management service"),
    sub("service", "service.attitude", "服务态度", "Staff attitude"),
    sub("service", "service.quality", "服务质量", "Service quality"),
    sub(
        "service",
        "service.security",
        "安全秩序",
        "Security & order",
    ),
    sub("service", "service.cleaning", "环境卫生", "Cleaning"),
    sub("service", "service.landscaping", "绿化", "Landscaping"),
    sub("service", "service.noise", "噪音", "Noise"),
    top("charge", "收费", "Charges"),
    sub("charge", "charge.shared", "分摊费", "Shared costs"),
    sub("charge", "charge.repair", "特约维修费", "Paid repairs"),
    top("incident", "突发事件", "Incidents"),
    sub("incident", "incident.power_cut", "停电", "Power cut"),
    sub("incident", "incident.water_cut", "停水", "Water cut"),
    sub(
        "incident",
        "incident.lift_trapped",
        "电梯困人",
        "Trapped in lift",
    ),
    sub("incident", "incident.flooding", "溢水", "Flooding"),
    sub("incident", "incident.theft", "被盗", "Theft"),
    sub(
        "incident",
        "incident.vehicle_loss",
        "车辆丢失",
        "Vehicle loss",
    ),
    top("other", "其他", "Other"),
];

/// Looks a category up by code.
pub fn find(code: &str) -> Option<&'static Category> {
    CATEGORIES.iter().find(|c| c.code == code)
}

/// The top-level categories, in display order.
pub fn top_level() -> impl Iterator<Item = &'static Category> {
    CATEGORIES.iter().filter(|c| c.parent.is_none())
}

/// The sub-categories of a top-level code.
pub fn children(parent: &str) -> impl Iterator<Item = &'static Category> + '_ {
    CATEGORIES.iter().filter(move |c| c.parent == Some(parent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_children_have_known_parents() {
        for (i, a) in CATEGORIES.iter().enumerate() {
            assert!(
                CATEGORIES[i + 1..].iter().all(|b| b.code != a.code),
                "{}",
                a.code
            );
            if let Some(p) = a.parent {
                assert!(find(p).is_some_and(|c| c.parent.is_none()));
                assert!(a.code.starts_with(&format!("{p}.")));
            }
        }
        assert_eq!(top_level().count(), 5);
        assert_eq!(children("facility").count(), 7);
        assert!(find("nope").is_none());
    }
}
