//! Inline SVG charts as strings — horizontal bars, stacked bars, a line over periods and a
//! donut — drawn the same for the app's report page and the server's shared page. Printed
//! values and patterns, not colour alone, carry the meaning, so they read in greyscale and in
//! print; every chart has a title for screen readers and sits beside its table of numbers.

/// Escapes text for HTML and SVG.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Horizontal bars: `(label, value)`, the largest bar full width.
pub fn bars(title: &str, rows: &[(String, u64)]) -> String {
    let (label_w, bar_w, row_h) = (150.0, 300.0, 22.0);
    let max = rows.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f64;
    let h = row_h * rows.len() as f64 + 4.0;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {w} {h}\" width=\"100%\" \
         aria-label=\"{t}\"><title>{t}</title>",
        w = label_w + bar_w + 60.0,
        t = esc(title)
    );
    for (i, (label, v)) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 2.0;
        let w = (*v as f64 / max * bar_w).max(if *v > 0 { 1.0 } else { 0.0 });
        svg.push_str(&format!(
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\" font-size=\"12\">{l}</text>\
             <rect x=\"{bx}\" y=\"{y}\" width=\"{w:.1}\" height=\"{bh}\" fill=\"#3b5b8c\" \
             stroke=\"#1d2d46\"/>\
             <text x=\"{vx:.1}\" y=\"{ty}\" font-size=\"12\">{v}</text>",
            lx = label_w - 6.0,
            ty = y + 14.0,
            l = esc(label),
            bx = label_w,
            bh = row_h - 6.0,
            vx = label_w + w + 4.0,
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// A line over periods, each point labelled with its value.
pub fn line(title: &str, points: &[(String, u64)]) -> String {
    let (w, h, pad) = (460.0, 180.0, 30.0);
    let max = points.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f64;
    let n = points.len().max(2) as f64 - 1.0;
    let xy = |i: usize, v: u64| {
        (
            pad + i as f64 / n * (w - 2.0 * pad),
            h - pad - v as f64 / max * (h - 2.0 * pad),
        )
    };
    let path: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, (_, v))| {
            let (x, y) = xy(i, *v);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {w} {h}\" width=\"100%\" \
         aria-label=\"{t}\"><title>{t}</title>\
         <line x1=\"{pad}\" y1=\"{base}\" x2=\"{end}\" y2=\"{base}\" stroke=\"#555\"/>\
         <polyline points=\"{p}\" fill=\"none\" stroke=\"#1d2d46\" stroke-width=\"2\"/>",
        t = esc(title),
        base = h - pad,
        end = w - pad,
        p = path.join(" ")
    );
    for (i, (label, v)) in points.iter().enumerate() {
        let (x, y) = xy(i, *v);
        svg.push_str(&format!(
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"#fff\" stroke=\"#1d2d46\"/>\
             <text x=\"{x:.1}\" y=\"{vy:.1}\" text-anchor=\"middle\" font-size=\"11\">{v}</text>\
             <text x=\"{x:.1}\" y=\"{ly}\" text-anchor=\"middle\" font-size=\"11\">{l}</text>",
            vy = y - 7.0,
            ly = h - pad + 16.0,
            l = esc(label)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Fills that differ in greyscale too (dark, mid, light, hatched by stroke width).
const FILLS: [&str; 4] = ["#1d2d46", "#5b7bb0", "#b9c7de", "#ffffff"];

/// Stacked horizontal bars: per row, parts in the order of `parts` (e.g. closed, open, late),
/// with a legend; each part's value is printed inside the row's label.
pub fn stacked(title: &str, parts: &[&str], rows: &[(String, Vec<u64>)]) -> String {
    let (label_w, bar_w, row_h) = (150.0, 300.0, 22.0);
    let max = rows
        .iter()
        .map(|(_, v)| v.iter().sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let h = row_h * (rows.len() as f64 + 1.0) + 4.0;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {w} {h}\" width=\"100%\" \
         aria-label=\"{t}\"><title>{t}</title>",
        w = label_w + bar_w + 80.0,
        t = esc(title)
    );
    for (k, part) in parts.iter().enumerate() {
        let x = label_w + k as f64 * 90.0;
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{f}\" stroke=\"#1d2d46\"/>\
             <text x=\"{tx}\" y=\"14\" font-size=\"11\">{p}</text>",
            f = FILLS[k % FILLS.len()],
            tx = x + 16.0,
            p = esc(part)
        ));
    }
    for (i, (label, values)) in rows.iter().enumerate() {
        let y = (i as f64 + 1.0) * row_h + 2.0;
        let numbers: Vec<String> = values.iter().map(u64::to_string).collect();
        svg.push_str(&format!(
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\" font-size=\"12\">{l}</text>",
            lx = label_w - 6.0,
            ty = y + 14.0,
            l = esc(label)
        ));
        let mut x = label_w;
        for (k, v) in values.iter().enumerate() {
            let w = *v as f64 / max * bar_w;
            svg.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"{bh}\" fill=\"{f}\" \
                 stroke=\"#1d2d46\"/>",
                bh = row_h - 6.0,
                f = FILLS[k % FILLS.len()]
            ));
            x += w;
        }
        svg.push_str(&format!(
            "<text x=\"{vx:.1}\" y=\"{ty}\" font-size=\"11\">{n}</text>",
            vx = x + 4.0,
            ty = y + 14.0,
            n = numbers.join(" / ")
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// A donut of shares: `(label, value)`; each slice's label and percentage in the legend.
pub fn donut(title: &str, slices: &[(String, u64)]) -> String {
    let total: u64 = slices.iter().map(|(_, v)| *v).sum();
    let (cx, cy, r, w) = (70.0_f64, 70.0_f64, 50.0_f64, 22.0_f64);
    let h = (slices.len() as f64 * 18.0 + 10.0).max(140.0);
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 360 {h}\" width=\"100%\" \
         aria-label=\"{t}\"><title>{t}</title>",
        t = esc(title)
    );
    let circumference = 2.0 * std::f64::consts::PI * r;
    let mut offset = 0.0;
    for (k, (label, v)) in slices.iter().enumerate() {
        let share = if total == 0 {
            0.0
        } else {
            *v as f64 / total as f64
        };
        let len = share * circumference;
        svg.push_str(&format!(
            "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" fill=\"none\" stroke=\"{f}\" \
             stroke-width=\"{w}\" stroke-dasharray=\"{len:.2} {rest:.2}\" \
             stroke-dashoffset=\"{off:.2}\" transform=\"rotate(-90 {cx} {cy})\"/>",
            f = FILLS[k % FILLS.len()],
            rest = circumference - len,
            off = -offset
        ));
        offset += len;
        let y = 18.0 * k as f64 + 18.0;
        svg.push_str(&format!(
            "<rect x=\"160\" y=\"{ry}\" width=\"12\" height=\"12\" fill=\"{f}\" stroke=\"#1d2d46\"/>\
             <text x=\"178\" y=\"{y}\" font-size=\"12\">{l} {v} ({p:.0}%)</text>",
            ry = y - 10.0,
            f = FILLS[k % FILLS.len()],
            l = esc(label),
            p = share * 100.0
        ));
    }
    svg.push_str(&format!(
        "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{ir}\" fill=\"none\" stroke=\"#1d2d46\" \
         stroke-width=\"0.5\"/><text x=\"{cx}\" y=\"{ty}\" text-anchor=\"middle\" \
         font-size=\"14\">{total}</text></svg>",
        ir = r - w / 2.0,
        ty = cy + 5.0
    ));
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_escape_labels_and_print_values() {
        let svg = bars("类别", &[("<b>".into(), 3), ("照明".into(), 0)]);
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
        assert!(svg.contains(">3</text>") && svg.contains(">0</text>"));
        let l = line("趋势", &[("2026-01".into(), 2), ("2026-02".into(), 5)]);
        assert_eq!(l.matches("<circle").count(), 2);
        assert!(l.contains(">5</text>"));
        let s = stacked(
            "状态",
            &["已完结", "未完结"],
            &[("一期".into(), vec![3, 1])],
        );
        assert!(s.contains("3 / 1") && s.contains("已完结"));
        let d = donut("级别", &[("重大".into(), 1), ("轻微".into(), 3)]);
        assert!(d.contains("重大 1 (25%)") && d.contains(">4</text>"));
        let empty = donut("级别", &[("重大".into(), 0)]);
        assert!(
            empty.contains("(0%)"),
            "an empty donut draws, without dividing by zero"
        );
    }
}
