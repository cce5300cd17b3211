//! Inline SVG charts for the shared report page: horizontal bars (one per key, value printed
//! beside the bar) and a line per period. Patterns and printed values, not colour alone, carry
//! the meaning, so they read in greyscale and in print.

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
    }
}
